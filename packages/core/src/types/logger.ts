/**
 * The logging interface every Conduit package accepts. Implementations must redact secrets
 * (API keys, `authorization`/`x-api-key` headers) before writing.
 */
export interface Logger {
  trace(message: string, details?: Record<string, unknown>): void;
  debug(message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
  /**
   * Optional: false when messages of `level` are dropped, so a caller (or a wrapper such as the
   * redacting logger) can skip preparing them. Absent means every level may be written.
   */
  isLevelEnabled?(level: 'trace' | 'debug' | 'info' | 'warn' | 'error'): boolean;
}

/** A logger that drops everything (the default for library use). */
export const silentLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  isLevelEnabled: () => false,
};
