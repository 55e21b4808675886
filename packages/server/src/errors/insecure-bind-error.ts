import { ConduitError } from '@conduit/core';

const name = 'InsecureBindError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/**
 * Conduit was asked to listen on a non-loopback address without an `APIKEY`: anyone who can reach
 * that address could spend the configured provider keys. Thrown by `ConduitServer.start()` (and
 * by `updateConfig()` when a reload would remove the key of a publicly bound server).
 */
export class InsecureBindError extends ConduitError {
  private readonly [symbol] = true;
  readonly host: string;

  constructor({ host, message }: { host: string; message?: string }) {
    super({
      name,
      message:
        message ??
        `Refusing to listen on ${host} without an API key: anyone who can reach this address could use your provider keys. Either set "APIKEY" in the config (clients then send it as x-api-key or Authorization: Bearer), or listen on loopback only ("HOST": "127.0.0.1" or --host 127.0.0.1).`,
    });
    this.host = host;
  }

  static override isInstance(error: unknown): error is InsecureBindError {
    return ConduitError.hasMarker(error, marker);
  }
}
