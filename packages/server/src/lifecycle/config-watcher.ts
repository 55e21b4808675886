import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Logger } from '@conduit/core';

/** Options of {@link watchConfigFile}. */
export interface ConfigWatcherOptions {
  /** The config file. Its directory is watched, since editors often replace the file by rename. */
  path: string;
  /** Called once per burst of changes; errors are logged, never thrown. */
  onChange(): Promise<void>;
  logger: Logger;
  /** Quiet period before reloading (editors write in several steps). Default 150 ms. */
  debounceMs?: number;
}

/** A running config watcher. */
export interface ConfigWatcher {
  close(): void;
}

/**
 * Watches the config file and calls `onChange` after each burst of writes, one reload at a time
 * (a change during a reload schedules one more). The watcher never keeps the process alive.
 */
export function watchConfigFile(options: ConfigWatcherOptions): ConfigWatcher {
  const file = resolve(options.path);
  const name = basename(file);
  const debounceMs = options.debounceMs ?? 150;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let pending = false;
  let closed = false;

  const run = async () => {
    if (closed) return;
    if (running) {
      pending = true;
      return;
    }
    running = true;
    try {
      await options.onChange();
    } catch (error) {
      options.logger.error('config reload failed', {
        message: error instanceof Error ? error.message : String(error),
      });
    } finally {
      running = false;
      if (pending) {
        pending = false;
        schedule();
      }
    }
  };
  const schedule = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
    timer.unref();
  };

  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      // Some platforms omit the name; then any change in the directory may be ours.
      if (changed === null || changed.toString() === name) schedule();
    });
  } catch (error) {
    options.logger.warn('cannot watch the config file; reload it with updateConfig()', {
      path: file,
      message: error instanceof Error ? error.message : String(error),
    });
    return { close() {} };
  }
  watcher.on('error', error => {
    options.logger.warn('config watcher stopped', { path: file, message: error.message });
  });
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
