import { ConduitError, PluginRejectionError } from '@conduit/core';

const name = 'SynapseContextError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/** Where a malformed Synapse value came from. */
export type SynapseContextSource = 'env' | 'header' | 'config';

/**
 * A Synapse context value (environment variable or `x-synapse-*` header) is malformed. The message
 * names the variable or header and says what was expected; the value itself is never echoed in
 * full (it may be long or carry secrets by mistake).
 *
 * It is a {@link PluginRejectionError} with status 400, so a malformed header thrown from the
 * Synapse plugin's hooks reaches the client as an Anthropic `invalid_request_error` instead of
 * being swallowed by the plugin isolation.
 */
export class SynapseContextError extends PluginRejectionError {
  private readonly [symbol] = true;
  /** `env`, `header` or `config`. */
  readonly source: SynapseContextSource;
  /** The environment variable or (lower-cased) header name. */
  readonly key: string;

  constructor({
    source,
    key,
    message,
    cause,
  }: { source: SynapseContextSource; key: string; message: string; cause?: unknown }) {
    super({ pluginName: 'synapse', message, statusCode: 400, cause });
    this.name = name;
    this.source = source;
    this.key = key;
  }

  static override isInstance(error: unknown): error is SynapseContextError {
    return ConduitError.hasMarker(error, marker);
  }
}
