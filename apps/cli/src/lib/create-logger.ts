/**
 * Loggers for the server the CLI runs: a rotating JSON log file for the daemon (pino writing into
 * rotating-file-stream), human-readable lines on stderr in the foreground. Both redact secrets
 * before anything is written, as core's `Logger` contract requires. pino and rotating-file-stream
 * are imported only when a file logger is created: the foreground `conduit start` never needs
 * them, and loading them would lengthen its cold start.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { type Logger, redactSecretValues, redactText } from '@conduit/conduit/router';

/** Log levels accepted in `LOG_LEVEL`, most severe first. */
const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof levels)[number];

/** A logger that can be flushed and closed on shutdown. */
export interface ClosableLogger extends Logger {
  close(): Promise<void>;
}

export interface FileLoggerOptions {
  /** Directory for `conduit.log` and its rotated siblings. */
  directory: string;
  level?: LogLevel;
  /** Rotate when the file reaches this size (rotating-file-stream syntax). Default `10M`. */
  maxSize?: string;
  /** Rotated files kept. Default 5. */
  maxFiles?: number;
}

/**
 * A pino logger writing JSON lines to `<directory>/conduit.log`, rotated by size and daily; older
 * files are `conduit.log.1` … `conduit.log.<maxFiles>`, so the disk used is bounded.
 */
export async function createFileLogger(options: FileLoggerOptions): Promise<ClosableLogger> {
  const [{ pino }, { createStream }] = await Promise.all([
    import('pino'),
    import('rotating-file-stream'),
  ]);
  mkdirSync(options.directory, { recursive: true, mode: 0o700 });
  const maxFiles = options.maxFiles ?? 5;
  const stream = createStream(
    // Classical rotation (`rotate`): the generator is called with the rotation index in place of
    // the time (1 = newest rotated file), and with null for the live file.
    (time: number | Date | null) =>
      typeof time === 'number' && time > 0 ? `conduit.log.${time}` : 'conduit.log',
    {
      path: options.directory,
      size: options.maxSize ?? '10M',
      interval: '1d',
      rotate: maxFiles,
      // Logs name routes, projects and errors: private to the user.
      mode: 0o600,
    },
  );
  const logger = pino({ level: options.level ?? 'info', base: { pid: process.pid } }, stream);
  const write =
    (level: Exclude<LogLevel, 'silent'>) =>
    (message: string, details?: Record<string, unknown>) => {
      const text = redactText(message);
      if (details) logger[level](redactSecretValues(details), text);
      else logger[level](text);
    };
  return {
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    isLevelEnabled: messageLevel => logger.isLevelEnabled(messageLevel),
    close: () =>
      new Promise<void>(resolve => {
        logger.flush(() => stream.end(() => resolve()));
      }),
  };
}

/** A logger printing `time level message {details}` lines to stderr (foreground mode). */
export function createConsoleLogger(level: LogLevel = 'info'): ClosableLogger {
  const threshold = levels.indexOf(level);
  const write =
    (messageLevel: Exclude<LogLevel, 'silent'>) =>
    (message: string, details?: Record<string, unknown>) => {
      if (level === 'silent' || levels.indexOf(messageLevel) > threshold) return;
      const suffix =
        details && Object.keys(details).length > 0
          ? ` ${JSON.stringify(redactSecretValues(details))}`
          : '';
      process.stderr.write(
        `${new Date().toISOString()} ${messageLevel.padEnd(5)} ${redactText(message)}${suffix}\n`,
      );
    };
  return {
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    isLevelEnabled: messageLevel => level !== 'silent' && levels.indexOf(messageLevel) <= threshold,
    close: async () => {},
  };
}
