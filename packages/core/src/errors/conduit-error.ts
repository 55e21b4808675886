const marker = 'conduit.error';
const symbol = Symbol.for(marker);

/**
 * Base class of every error Conduit throws. Identified by a global symbol marker rather than
 * `instanceof`, so the check works across duplicate copies of the package (AI SDK pattern).
 */
export class ConduitError extends Error {
  private readonly [symbol] = true;

  constructor({ name, message, cause }: { name: string; message: string; cause?: unknown }) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
  }

  static isInstance(error: unknown): error is ConduitError {
    return ConduitError.hasMarker(error, marker);
  }

  protected static hasMarker(error: unknown, markerName: string): boolean {
    const markerSymbol = Symbol.for(markerName);
    return (
      error != null &&
      typeof error === 'object' &&
      markerSymbol in error &&
      (error as Record<symbol, unknown>)[markerSymbol] === true
    );
  }
}
