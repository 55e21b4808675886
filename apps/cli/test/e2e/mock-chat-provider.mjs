// A scripted OpenAI-compatible provider for the interactive Claude Code test (plain JS: it runs
// inside the network namespace without a TypeScript loader). It records every request.
import http from 'node:http';

const base = { id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created: 0 };

function textOf(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map(part => part.text ?? '').join(' ');
  return '';
}

/** What to answer: a tool call when asked for one, the tool's output after it, else text. */
export function scriptAnswer(body) {
  const messages = body.messages ?? [];
  const last = messages.at(-1) ?? {};
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  if (!hasTools) return { text: '{"title":"Conduit e2e"}' };
  if (last.role === 'tool') return { text: `The tool said: ${textOf(last.content).trim()}` };
  const userText = textOf(last.content);
  if (userText.includes('run the tool')) {
    return {
      toolCall: {
        id: 'call_e2e_1',
        name: 'Bash',
        arguments: JSON.stringify({
          command: 'echo conduit-e2e-tool-output > tool-output.txt && cat tool-output.txt',
          description: 'Write and show the e2e marker',
        }),
      },
    };
  }
  return { text: `Mock answer 42 from ${body.model}` };
}

function chunks(answer, model) {
  const list = [
    { ...base, model, choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] },
  ];
  if (answer.toolCall) {
    list.push({
      ...base,
      model,
      choices: [
        {
          index: 0,
          delta: {
            tool_calls: [
              {
                index: 0,
                id: answer.toolCall.id,
                type: 'function',
                function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments },
              },
            ],
          },
        },
      ],
    });
  } else {
    list.push({ ...base, model, choices: [{ index: 0, delta: { content: answer.text } }] });
  }
  const finish = answer.toolCall ? 'tool_calls' : 'stop';
  list.push({ ...base, model, choices: [{ index: 0, delta: {}, finish_reason: finish }] });
  list.push({
    ...base,
    model,
    choices: [],
    usage: { prompt_tokens: 1200, completion_tokens: 30, total_tokens: 1230 },
  });
  return list;
}

export async function startMockChatProvider() {
  const requests = [];
  const server = http.createServer((request, response) => {
    let raw = '';
    request.on('data', chunk => {
      raw += chunk;
    });
    request.on('end', () => {
      let body = {};
      try {
        body = JSON.parse(raw);
      } catch {}
      requests.push({ path: request.url, body });
      const answer = scriptAnswer(body);
      if (body.stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const chunk of chunks(answer, body.model))
          response.write(`data: ${JSON.stringify(chunk)}\n\n`);
        response.end('data: [DONE]\n\n');
        return;
      }
      const message = answer.toolCall
        ? {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: answer.toolCall.id,
                type: 'function',
                function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments },
              },
            ],
          }
        : { role: 'assistant', content: answer.text };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-e2e',
          object: 'chat.completion',
          created: 0,
          model: body.model,
          choices: [{ index: 0, message, finish_reason: answer.toolCall ? 'tool_calls' : 'stop' }],
          usage: { prompt_tokens: 1200, completion_tokens: 30, total_tokens: 1230 },
        }),
      );
    });
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}/v1/chat/completions`,
    requests,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}
