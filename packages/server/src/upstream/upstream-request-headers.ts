/**
 * The caller's headers as a plain object, with what `fetch` would have added and upstreams may
 * expect: `content-type` of an untyped string body, `accept` and `user-agent`.
 */
export function requestHeaders(init: RequestInit): Record<string, string> {
  const headers: Record<string, string> = {};
  const given = init.headers;
  if (given instanceof Headers || Array.isArray(given)) {
    for (const [name, value] of given) headers[name!.toLowerCase()] = value!;
  } else if (given) {
    for (const [name, value] of Object.entries(given)) headers[name.toLowerCase()] = value;
  }
  if (typeof init.body === 'string' && headers['content-type'] === undefined) {
    headers['content-type'] = 'text/plain;charset=UTF-8';
  }
  headers.accept ??= '*/*';
  headers['user-agent'] ??= 'undici';
  return headers;
}
