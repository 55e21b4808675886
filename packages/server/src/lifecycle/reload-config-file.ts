import { type ConduitConfig, ConfigError, type Logger } from '@conduit/core';
import { loadConduitConfig } from '../config/parse-conduit-config.js';
import type { TransformerRegistry } from '../providers/transformers/transformer-registry.js';

/**
 * Reads the config file again (JSON5, `$VAR` interpolation, CCR aliases, every check) and hands
 * it to `apply`. An unreadable or invalid file, or one `apply` refuses, is logged with every
 * problem and the current config keeps serving.
 * @returns whether the new config was applied.
 */
export async function reloadConfigFile(options: {
  path: string;
  registry: TransformerRegistry;
  apply(config: ConduitConfig): Promise<void>;
  logger: Logger;
}): Promise<boolean> {
  const { path, logger } = options;
  try {
    const loaded = await loadConduitConfig({ path, registry: options.registry });
    await options.apply(loaded.config);
    logger.info('config reloaded', { path });
    return true;
  } catch (error) {
    const issues = ConfigError.isInstance(error) ? error.issues : undefined;
    logger.error('config change rejected; the previous config keeps serving', {
      path,
      message: error instanceof Error ? error.message : String(error),
      ...(issues ? { issues } : {}),
    });
    return false;
  }
}
