import { ConduitError } from './conduit-error.js';

const name = 'NoRouteError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/**
 * No usable route: no providers configured, no `Router.default`, or a route naming an unknown
 * provider/model. `kind` lets the server pick the status (400 for missing config, 404 for unknown).
 */
export class NoRouteError extends ConduitError {
  private readonly [symbol] = true;
  readonly kind: 'no-providers' | 'no-default' | 'unknown-provider' | 'unknown-model';
  /** The configured `provider,model` choices, to show the user. */
  readonly choices: string[];

  constructor({
    message,
    kind,
    choices = [],
    cause,
  }: {
    message: string;
    kind: NoRouteError['kind'];
    choices?: string[];
    cause?: unknown;
  }) {
    // Unknown names are 404 (Claude Code reports the model); missing config is 400 (shown at once).
    super({
      name,
      message,
      cause,
      httpStatus: kind === 'unknown-provider' || kind === 'unknown-model' ? 404 : 400,
    });
    this.kind = kind;
    this.choices = choices;
  }

  static override isInstance(error: unknown): error is NoRouteError {
    return ConduitError.hasMarker(error, marker);
  }
}
