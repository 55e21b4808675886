// A custom transformer written against CCR's contract (CommonJS class, `new (options)`).
class TaggingTransformer {
  constructor(options) {
    this.options = options || {};
    this.name = 'tagging';
  }

  async transformRequestIn(request, provider) {
    request.metadata_tag = this.options.tag;
    request.seen_provider = provider.name;
    return { body: request, config: { headers: { 'X-Tag': this.options.tag } } };
  }

  async transformResponseOut(response) {
    const type = response.headers.get('Content-Type') || '';
    if (type.includes('application/json')) {
      const json = await response.json();
      json.choices[0].message.content += ` [${this.options.tag}]`;
      return new Response(JSON.stringify(json), { status: response.status, headers: response.headers });
    }
    if (type.includes('stream')) {
      const decoder = new TextDecoder();
      const encoder = new TextEncoder();
      const rewrite = new TransformStream({
        transform(chunk, controller) {
          controller.enqueue(encoder.encode(decoder.decode(chunk, { stream: true }).replaceAll('mock', 'MOCK')));
        },
      });
      return new Response(response.body.pipeThrough(rewrite), { headers: response.headers });
    }
    return response;
  }
}

module.exports = TaggingTransformer;
