import { ConduitError } from './conduit-error.js';

const name = 'InvalidRequestError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/** The client's request is malformed (bad JSON, schema violation). Maps to 400. */
export class InvalidRequestError extends ConduitError {
  private readonly [symbol] = true;
  /** Dotted path of the offending field, when known. */
  readonly field?: string;

  constructor({ message, field, cause }: { message: string; field?: string; cause?: unknown }) {
    super({ name, message, cause, httpStatus: 400 });
    this.field = field;
  }

  static override isInstance(error: unknown): error is InvalidRequestError {
    return ConduitError.hasMarker(error, marker);
  }
}
