import type { Logger, PluginLogger } from '@conduit/core';

/** A logger for one plugin: every line names the plugin, in the message and in `details.plugin`. */
export function createPluginLogger(logger: Logger, pluginName: string): PluginLogger {
  const write =
    (level: keyof PluginLogger) => (message: string, details?: Record<string, unknown>) =>
      logger[level](`plugin "${pluginName}": ${message}`, { ...details, plugin: pluginName });
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
