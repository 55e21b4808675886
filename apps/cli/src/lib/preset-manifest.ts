/**
 * Presets in claude-code-router v2's layout: `presets/<name>/manifest.json` holds the metadata
 * and the shareable part of a config, every secret replaced by a `{{field}}` placeholder that a
 * `schema` entry describes. Pure functions: files are handled by `preset-store.ts`.
 * @module
 */

/** One input asked for on install (CCR's `schema` entries; Conduit adds `env`). */
export interface PresetField {
  id: string;
  type: 'password' | 'input';
  label: string;
  prompt?: string;
  required?: boolean;
  defaultValue?: string;
  /** The environment variable that provides the value (kept as a `$VAR` reference). */
  env?: string;
}

export interface PresetManifest {
  name: string;
  version: string;
  description?: string;
  author?: string;
  keywords?: string[];
  schema?: PresetField[];
  [configKey: string]: unknown;
}

/** Config keys a preset carries; the rest (ports, paths, inbound APIKEY, storage) is per machine. */
export const presetConfigKeys = [
  'Providers',
  'providers',
  'Router',
  'fallback',
  'resilience',
  'StatusLine',
  'statusLine',
  'API_TIMEOUT_MS',
] as const;

const metadataKeys = new Set(['name', 'version', 'description', 'author', 'keywords', 'schema']);
const sensitiveKeyPattern =
  /api_?key|secret|token|password|passwd|private_?key|access_?key|authorization/i;
const envReferencePattern = /^\$\{?[A-Z_][A-Z0-9_]*\}?$/;
export const presetNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function placeholderId(path: string[], entityName: string | undefined): string {
  const base = entityName ?? path.filter(part => !/^\d+$/.test(part)).join('_');
  const key = path[path.length - 1] ?? 'secret';
  return `${base}_${key}`.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/**
 * Replaces every secret (a string under a key like `api_key`, `token`, `secret`) that is not
 * already a `$VAR` reference with `{{id}}`, and describes it in `schema`.
 */
export function sanitizeForPreset(config: Record<string, unknown>): {
  config: Record<string, unknown>;
  schema: PresetField[];
} {
  const schema: PresetField[] = [];
  const visit = (value: unknown, path: string[], entityName: string | undefined): unknown => {
    if (Array.isArray(value))
      return value.map((item, index) => visit(item, [...path, String(index)], entityName));
    if (value === null || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    const name = typeof object.name === 'string' ? object.name : entityName;
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(object)) {
      if (
        typeof child === 'string' &&
        sensitiveKeyPattern.test(key) &&
        !envReferencePattern.test(child.trim())
      ) {
        let id = placeholderId([...path, key], name);
        for (let suffix = 2; schema.some(field => field.id === id); suffix++)
          id = `${placeholderId([...path, key], name)}_${suffix}`;
        schema.push({
          id,
          type: 'password',
          label: `${name ?? path.join('.')} ${key}`,
          prompt: `Value for ${[...path, key].join('.')}${name ? ` (${name})` : ''}`,
          required: true,
          env: id.toUpperCase(),
        });
        result[key] = `{{${id}}}`;
      } else result[key] = visit(child, [...path, key], name);
    }
    return result;
  };
  return { config: visit(config, [], undefined) as Record<string, unknown>, schema };
}

/** The manifest for `config` (only {@link presetConfigKeys}) and the keys left out. */
export function createManifest(
  name: string,
  config: Record<string, unknown>,
  metadata: { description?: string; author?: string; keywords?: string[] },
): { manifest: PresetManifest; omitted: string[]; secrets: number } {
  const shareable: Record<string, unknown> = {};
  for (const key of presetConfigKeys) if (config[key] !== undefined) shareable[key] = config[key];
  const omitted = Object.keys(config).filter(
    key => !(presetConfigKeys as readonly string[]).includes(key),
  );
  const { config: sanitized, schema } = sanitizeForPreset(shareable);
  const manifest: PresetManifest = {
    name,
    version: '1.0.0',
    ...(metadata.description ? { description: metadata.description } : {}),
    ...(metadata.author ? { author: metadata.author } : {}),
    ...(metadata.keywords && metadata.keywords.length > 0 ? { keywords: metadata.keywords } : {}),
    ...(schema.length > 0 ? { schema } : {}),
    ...sanitized,
  };
  return { manifest, omitted, secrets: schema.length };
}

/** The config part of a manifest (metadata and schema removed). */
export function manifestConfig(manifest: PresetManifest): Record<string, unknown> {
  return Object.fromEntries(Object.entries(manifest).filter(([key]) => !metadataKeys.has(key)));
}

/** Replaces `{{id}}` placeholders in every string of `value`. */
export function fillPlaceholders(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string')
    return value.replace(
      /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g,
      (match, id: string) => values[id] ?? match,
    );
  if (Array.isArray(value)) return value.map(item => fillPlaceholders(item, values));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, fillPlaceholders(child, values)]),
    );
  return value;
}

/** Checks a parsed manifest's shape; returns the problem, if any. */
export function manifestProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return 'not a JSON object';
  const manifest = value as Partial<PresetManifest>;
  if (typeof manifest.name !== 'string' || !presetNamePattern.test(manifest.name))
    return '"name" must be a preset name (letters, digits, . _ -)';
  if (manifest.schema !== undefined && !Array.isArray(manifest.schema))
    return '"schema" must be a list';
  for (const field of manifest.schema ?? []) {
    if (typeof field?.id !== 'string' || !/^[A-Za-z0-9_]+$/.test(field.id))
      return 'every schema entry needs an "id" of letters, digits and _';
  }
  return undefined;
}
