/**
 * Turns a claude-code-router `config.json` into a Conduit config. Conduit reads CCR's format
 * natively, so most keys are carried as written — `$VAR` references included, so no secret is
 * written into the new file — and what Conduit does not do is reported instead of silently lost.
 * @module
 */

/** One thing the migration could not carry, or carried but wants a human to look at. */
export interface MigrationNote {
  /** Dotted path in the CCR config, e.g. `StatusLine` or `transformers[0].path`. */
  path: string;
  kind: 'dropped' | 'review';
  message: string;
}

/** The migrated config and the notes to show the user. */
export interface MigrationResult {
  config: Record<string, unknown>;
  notes: MigrationNote[];
}

/** Top-level CCR keys Conduit understands with the same meaning. */
const carriedKeys = new Set([
  'Providers',
  'Router',
  'APIKEY',
  'HOST',
  'PORT',
  'LOG',
  'LOG_LEVEL',
  'API_TIMEOUT_MS',
  'PROXY_URL',
  'NON_INTERACTIVE_MODE',
  'CLAUDE_PATH',
  'CUSTOM_ROUTER_PATH',
  'forceUseImageAgent',
  'transformers',
  'fallback',
  'plugins',
  // Read by `conduit statusline` (its modules render with Conduit's session data).
  'StatusLine',
]);

/** Keys dropped with an explanation. */
const droppedKeys: Record<string, string> = {
  REWRITE_SYSTEM_PROMPT:
    'Conduit does not rewrite Claude Code’s system prompt; use a plugin with a beforeRouting hook if you relied on it.',
  ANTHROPIC_SMALL_FAST_MODEL:
    '`conduit code` sets ANTHROPIC_DEFAULT_HAIKU_MODEL so background requests go to Router.background; set Router.background instead.',
  OPENAI_API_KEY:
    'a pre-1.0 CCR key that CCR 1.x ignores too; add an OpenAI-compatible provider to Providers instead.',
  OPENAI_BASE_URL:
    'a pre-1.0 CCR key that CCR 1.x ignores too; add an OpenAI-compatible provider to Providers instead.',
  OPENAI_MODEL: 'a pre-1.0 CCR key that CCR 1.x ignores too; use Router.default instead.',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Migrates a parsed CCR config (raw, not interpolated). `presetNames` are the presets found in the
 * CCR home, which are reported because Conduit does not import them.
 */
export function migrateCCRConfig(
  input: unknown,
  { presetNames = [] }: { presetNames?: string[] } = {},
): MigrationResult {
  if (!isRecord(input)) {
    throw new TypeError('the CCR config must be a JSON object');
  }
  const notes: MigrationNote[] = [];
  const config: Record<string, unknown> = {};

  for (const [key, value] of Object.entries(input)) {
    if (key === 'providers' && !('Providers' in input)) {
      config.Providers = value;
    } else if (key === 'Plugins' && !('plugins' in input)) {
      config.plugins = value;
    } else if (carriedKeys.has(key)) {
      config[key] = value;
    } else if (key in droppedKeys) {
      notes.push({ path: key, kind: 'dropped', message: droppedKeys[key] ?? '' });
    } else {
      notes.push({
        path: key,
        kind: 'dropped',
        message: 'not a CCR or Conduit setting that Conduit knows; left out.',
      });
    }
  }

  if (typeof config.CUSTOM_ROUTER_PATH === 'string' && config.CUSTOM_ROUTER_PATH !== '') {
    notes.push({
      path: 'CUSTOM_ROUTER_PATH',
      kind: 'review',
      message: `carried; Conduit runs ${config.CUSTOM_ROUTER_PATH} with CCR's (request, config, {event}) contract. Check that the file is still there and trusted.`,
    });
  }
  if (Array.isArray(config.transformers)) {
    config.transformers.forEach((transformer, index) => {
      const path =
        isRecord(transformer) && typeof transformer.path === 'string' ? transformer.path : '?';
      notes.push({
        path: `transformers[${index}]`,
        kind: 'review',
        message: `custom transformer ${path} carried as written; CCR transformer modules are code written for CCR's internals, so test it with Conduit before relying on it.`,
      });
    });
  }
  if (Array.isArray(config.plugins)) {
    config.plugins.forEach((plugin, index) => {
      const name = isRecord(plugin) && typeof plugin.name === 'string' ? plugin.name : '?';
      // token-speed is CCR v2's only plugin, and Conduit ships a built-in of that name.
      if (name === 'token-speed') return;
      notes.push({
        path: `plugins[${index}]`,
        kind: 'review',
        message: `plugin "${name}" carried; it is not one of Conduit's built-in plugins, so check that Conduit can load it (\`conduit config validate\`, then the start-up log).`,
      });
    });
  }
  if (Array.isArray(config.Providers)) {
    config.Providers.forEach((provider, index) => {
      if (isRecord(provider) && provider.tokenizer !== undefined) {
        notes.push({
          path: `Providers[${index}].tokenizer`,
          kind: 'review',
          message:
            'carried, but Conduit counts tokens with cl100k_base (as CCR does by default) for every provider; the tokenizer settings are ignored.',
        });
      }
    });
  }
  for (const name of presetNames) {
    notes.push({
      path: `presets/${name}`,
      kind: 'dropped',
      message: `not copied into the config; install it as a Conduit preset with \`conduit preset install ~/.claude-code-router/presets/${name}\` and run it with \`conduit ${name}\`.`,
    });
  }
  return { config, notes };
}
