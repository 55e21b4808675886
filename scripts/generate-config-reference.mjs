#!/usr/bin/env node
/**
 * Generates docs/configuration.md from the zod schema of the Conduit config
 * (packages/core/src/config/config-schema.ts): every key with its type, default and description
 * (the schema's `.describe()` texts). A key without a description fails the run, so the reference
 * cannot silently fall behind the schema.
 *
 *   node --conditions=@conduit/source --import tsx scripts/generate-config-reference.mjs          # write
 *   node --conditions=@conduit/source --import tsx scripts/generate-config-reference.mjs --check  # CI: exit 1 when stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaFile = join(root, 'packages/core/src/config/config-schema.ts');
const outputFile = join(root, 'docs/configuration.md');
const command =
  'node --conditions=@conduit/source --import tsx scripts/generate-config-reference.mjs';

/** Placeholder shown for the keys of a map, by the map's path. */
const mapKeyNames = {
  'Providers[].transformer': '<model>',
  'usage.pricing': '<provider,model or model>',
  fallback: '<scenario or provider,model>',
};

/** Top-level keys documented elsewhere: the row links there instead of a section. */
const externalSections = {
  synapse: { title: 'the Synapse README', link: '../packages/synapse/README.md' },
  fallback: { title: 'Resilience', link: 'resilience.md#fallback-chains' },
};

/** Settings validated by other packages on top of the core schema (looseObject sections). */
const extraKeys = [
  {
    path: 'server.metricsAuth',
    type: 'boolean',
    defaultValue: '`true` when `APIKEY` is set',
    description:
      'Whether `GET /metrics` needs `APIKEY`; `false` opens it for a scraper that cannot send headers (validated by `@conduit/server`, see [its README](../packages/server/README.md#endpoints)).',
  },
  {
    path: 'server.publicHealth',
    type: 'boolean',
    defaultValue: '`false`',
    description:
      'With `APIKEY` set, serve the detailed `GET /health` and `GET /health/ready` without the key (without it `/health` answers only `{"status":"ok"}`; validated by `@conduit/server`).',
  },
  {
    path: 'server.watchConfig',
    type: 'boolean',
    defaultValue: 'on under `conduit start` / `run()`, off for library use',
    description:
      'Reload the config file when it changes; new requests use the new config, an invalid edit is rejected and the old config keeps serving (validated by `@conduit/server`).',
  },
  {
    path: 'plugins[].hookTimeoutMs',
    type: 'integer > 0',
    defaultValue: '`2000`',
    description:
      "Budget of this plugin's hook calls in ms (read by `@conduit/plugins`, see [its README](../packages/plugins/README.md#isolation)).",
  },
];

async function loadSchema() {
  try {
    const module = await import(pathToFileURL(schemaFile).href);
    return module;
  } catch (error) {
    if (error?.code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      console.error(`Run this script with TypeScript support:\n  ${command}`);
      process.exit(2);
    }
    throw error;
  }
}

const maxSafeInteger = Number.MAX_SAFE_INTEGER;

function escapeCell(text) {
  return String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function code(value) {
  return `\`${value}\``;
}

/** A readable type for a JSON Schema node. */
function describeType(node) {
  if (!node || Object.keys(node).filter(key => key !== 'description').length === 0) return 'any';
  if (node.anyOf) return node.anyOf.map(describeType).join(' or ');
  if (Array.isArray(node.type)) return node.type.join(' or ');
  if (node.enum) return `one of ${node.enum.map(value => code(value)).join(', ')}`;
  switch (node.type) {
    case 'string':
      return node.minLength >= 1 ? 'string (non-empty)' : 'string';
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'number':
      return `${node.type}${describeRange(node)}`;
    case 'array':
      if (node.prefixItems) return `[${node.prefixItems.map(describeType).join(', ')}]`;
      return `list of ${parenthesize(describeType(node.items))}`;
    case 'object':
      if (node.properties) return 'object';
      if (node.additionalProperties && Object.keys(node.additionalProperties).length > 0)
        return `map of ${describeType(node.additionalProperties)}`;
      return 'object';
    default:
      return 'any';
  }
}

/** Keeps `list of (a or b)` unambiguous. */
function parenthesize(type) {
  return type.includes(' or ') ? `(${type})` : type;
}

function describeRange(node) {
  const parts = [];
  if (node.exclusiveMinimum !== undefined) parts.push(`> ${node.exclusiveMinimum}`);
  if (node.minimum !== undefined) parts.push(`≥ ${node.minimum}`);
  if (node.maximum !== undefined && node.maximum !== maxSafeInteger)
    parts.push(`≤ ${node.maximum}`);
  return parts.length > 0 ? ` ${parts.join(', ')}` : '';
}

function isObjectWithProperties(node) {
  return node?.type === 'object' && node.properties !== undefined;
}

/** A map whose values are objects with properties (e.g. `usage.pricing`). */
function mapValueObject(node) {
  const value = node?.additionalProperties;
  return node?.type === 'object' && isObjectWithProperties(value) ? value : undefined;
}

function describeDefault(node, required) {
  if (node.default === undefined) return required ? '**required**' : '';
  if (isObjectWithProperties(node)) return 'see below';
  return code(JSON.stringify(node.default));
}

/**
 * Flattens a schema node into rows: one per key, with nested objects, list items (`[]`) and map
 * values (`.<key>`) expanded under their parent.
 */
function collectRows(node, path, rows, missing) {
  const required = new Set(node.required ?? []);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const childPath = path ? `${path}.${key}` : key;
    addRow(child, childPath, required.has(key), rows, missing);
  }
  const mapValue = mapValueObject(node);
  if (mapValue) {
    const childPath = `${path}.${mapKeyNames[path] ?? '<key>'}`;
    addRow(mapValue, childPath, false, rows, missing);
  }
}

function addRow(node, path, required, rows, missing) {
  if (!node.description) missing.push(path);
  rows.push({
    path,
    type: describeType(node),
    defaultValue: describeDefault(node, required),
    description: node.description ?? '',
  });
  if (isObjectWithProperties(node) || mapValueObject(node)) collectRows(node, path, rows, missing);
  if (node.type === 'array' && isObjectWithProperties(node.items)) {
    collectRows(node.items, `${path}[]`, rows, missing);
  }
}

function table(rows) {
  const lines = ['| key | type | default | description |', '| --- | --- | --- | --- |'];
  for (const row of rows) {
    lines.push(
      `| ${code(row.path)} | ${escapeCell(row.type)} | ${escapeCell(row.defaultValue)} | ${escapeCell(row.description)} |`,
    );
  }
  return lines.join('\n');
}

/** Top-level keys that get a section of their own: objects and lists of objects. */
function sectionSchema(node) {
  if (isObjectWithProperties(node)) return node;
  if (node.type === 'array' && isObjectWithProperties(node.items)) return node.items;
  return undefined;
}

function sectionTitle(key, node) {
  return node.type === 'array' ? `${key}[]` : key;
}

function anchor(title) {
  return title.toLowerCase().replace(/[^a-z0-9 -]/g, '');
}

const intro = `# Configuration reference

<!-- Generated by scripts/generate-config-reference.mjs from packages/core/src/config/config-schema.ts.
     Do not edit by hand: change the schema's .describe() texts and run
     ${command} -->

Conduit reads one JSON5 file (comments and trailing commas are fine): \`--config <file>\`, else
\`$CONDUIT_HOME/config.json\` (default \`~/.conduit/config.json\`), else claude-code-router's
\`~/.claude-code-router/config.json\`. The format is a superset of CCR's \`config.json\`: CCR keys keep
their spelling (\`Providers\`, \`Router\`, \`APIKEY\`, …; CCR's \`providers\` and \`Plugins\` spellings
are accepted), Conduit's own sections are camelCase (\`server\`, \`resilience\`, \`usage\`, …).

- \`$VAR\` and \`\${VAR}\` in any string are replaced by the environment variable; an unset variable
  is left as written and reported as a warning.
- Unknown top-level keys (CCR's \`StatusLine\`, …) are kept but not interpreted.
- Every route (\`Router.*\`, \`fallback\`, custom rules) must name a configured provider and one of
  its \`models\`; \`conduit config validate\` prints every problem with its path and a fix, and
  \`conduit config show\` prints the effective config with defaults applied and secrets redacted.
- A running gateway reloads the file when it changes (see \`server.watchConfig\` below); changes to
  \`usage\` apply after a restart.

A complete example:

\`\`\`json5
{
  "APIKEY": "$CONDUIT_APIKEY",
  "Providers": [
    {
      "name": "deepseek",
      "api_base_url": "https://api.deepseek.com/chat/completions",
      "api_keys": ["$DEEPSEEK_KEY_1", "$DEEPSEEK_KEY_2"],
      "models": ["deepseek-chat", "deepseek-reasoner"],
      "transformer": { "use": ["deepseek"] }
    },
    {
      "name": "anthropic",
      "api_base_url": "https://api.anthropic.com/v1/messages",
      "api_key": "$ANTHROPIC_API_KEY",
      "models": ["claude-sonnet-5", "claude-haiku-4-5"]
    }
  ],
  "Router": {
    "default": "deepseek,deepseek-chat",
    "background": "anthropic,claude-haiku-4-5",
    "think": "deepseek,deepseek-reasoner",
    "longContext": "anthropic,claude-sonnet-5",
    "longContextThreshold": 60000,
    "customRules": [
      { "name": "big-refactors", "route": "anthropic,claude-sonnet-5", "priority": 10,
        "conditions": [{ "field": "message", "operator": "matches", "value": "/refactor/i" }] }
    ]
  },
  "fallback": { "default": ["anthropic,claude-sonnet-5"] },
  "resilience": { "retry": { "maxAttempts": 3 } },
  "usage": { "storage": "postgres://conduit@db.internal/conduit" }
}
\`\`\``;

function render(jsonSchema) {
  const missing = [];
  const parts = [intro];
  const topRows = [];
  const sections = [];
  const required = new Set(jsonSchema.required ?? []);
  for (const [key, node] of Object.entries(jsonSchema.properties)) {
    if (!node.description) missing.push(key);
    const section = sectionSchema(node);
    const title = section ? sectionTitle(key, node) : undefined;
    const external = externalSections[key];
    const pointer = title
      ? ` See [${title}](#${anchor(title)}).`
      : external
        ? ` See [${external.title}](${external.link}).`
        : '';
    topRows.push({
      path: key,
      type: describeType(node),
      defaultValue:
        section && node.type !== 'array' ? 'see below' : describeDefault(node, required.has(key)),
      description: `${node.description ?? ''}${pointer}`,
    });
    if (section) {
      const rows = [];
      collectRows(section, title, rows, missing);
      for (const extra of extraKeys.filter(extra => extra.path.startsWith(`${title}.`))) {
        rows.push(extra);
      }
      sections.push(`## ${title}\n\n${node.description ?? ''}\n\n${table(rows)}`);
    } else if (mapValueObject(node) || node.type === 'object') {
      const rows = [];
      collectRows(node, key, rows, missing);
      if (rows.length > 0)
        sections.push(`## ${key}\n\n${node.description ?? ''}\n\n${table(rows)}`);
    }
  }
  parts.push(`## Top-level keys\n\n${table(topRows)}`);
  parts.push(...sections);
  parts.push(
    '## Environment\n\n' +
      [
        '- `CONDUIT_HOME`: state directory (config, `usage.db`, PID file, daemon logs); default `~/.conduit`.',
        '- `PORT`: listen port for `conduit start` when neither the command line nor the config sets one.',
        '- `CLAUDE_PATH`: the `claude` binary `conduit code` runs (wins over the config key).',
        '- `PROXY_URL`: HTTP(S) proxy for provider calls when the config has none.',
        '- `SYNAPSE_*`: Synapse context, forwarded by `conduit code` as `x-synapse-*` headers.',
      ].join('\n'),
  );
  return { markdown: `${parts.join('\n\n')}\n`, missing };
}

const {
  conduitConfigSchema: schema,
  providerTransformerSchema,
  modelTransformerSchema,
} = await loadSchema();
const jsonSchema = schema.toJSONSchema({
  io: 'input',
  unrepresentable: 'any',
  // Per-model transformer entries are checked by a refinement (see config-schema.ts), which JSON
  // Schema cannot see: document them as the map they are.
  override: ({ zodSchema, jsonSchema: node }) => {
    // Core exports stand-ins that build the schemas on first use: compare the schemas' internals.
    if (zodSchema._zod === providerTransformerSchema._zod) {
      node.additionalProperties = modelTransformerSchema.toJSONSchema({ io: 'input' });
      delete node.additionalProperties.$schema;
    }
  },
});
const { markdown, missing } = render(jsonSchema);

if (missing.length > 0) {
  console.error(
    `These config keys have no description; add .describe("…") in ${relative(root, schemaFile)}:\n  ${missing.join('\n  ')}`,
  );
  process.exit(1);
}

const displayPath = relative(root, outputFile);
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(outputFile, 'utf8');
  } catch {
    // a missing file is stale too
  }
  if (current !== markdown) {
    console.error(
      `${displayPath} is out of date with the config schema. Regenerate it:\n  ${command}`,
    );
    process.exit(1);
  }
  console.log(`${displayPath} is up to date.`);
} else {
  writeFileSync(outputFile, markdown);
  console.log(`wrote ${displayPath}`);
}
