import { isLoopbackHost } from '@conduit/core';
import { InsecureBindError } from '../errors/insecure-bind-error.js';

export { isLoopbackHost };

/** @throws InsecureBindError when `host` is not loopback and no API key is configured. */
export function assertSafeBind(host: string, apiKey: string | undefined): void {
  if (apiKey || isLoopbackHost(host)) return;
  throw new InsecureBindError({ host });
}
