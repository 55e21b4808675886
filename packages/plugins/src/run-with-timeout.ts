import { PluginTimeoutError } from './errors/plugin-timeout-error.js';

/**
 * Runs `operation` and rejects with {@link PluginTimeoutError} when it has not settled after
 * `timeoutMs`. A synchronous throw becomes a rejection. The timer is unref'd and cleared on
 * settle, so a hung plugin never keeps the process alive; the hung promise itself is abandoned
 * (JavaScript cannot cancel it).
 */
export async function runWithTimeout<T>(
  operation: () => T | Promise<T>,
  { timeoutMs, label }: { timeoutMs: number; label: string },
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new PluginTimeoutError({
            message: `${label} timed out after ${timeoutMs} ms`,
            timeoutMs,
          }),
        ),
      timeoutMs,
    );
    timer.unref?.();
  });
  try {
    // `Promise.resolve().then` turns a synchronous throw into a rejection.
    return await Promise.race([Promise.resolve().then(operation), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
