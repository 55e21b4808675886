/**
 * The config file as the editor sees it: read with a revision (so two editors cannot overwrite
 * each other) and validated exactly as the gateway validates it. Core's `writeConfigFile` writes
 * it (backup, atomic replace, 0600), as it writes every config edit.
 * @module
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  ConfigError,
  type ConfigIssue,
  type ConfigValidator,
  parseJSON5File,
  validateConfig,
} from '@conduit/core';

export interface ConfigFileState {
  /** The text on disk; `''` when the file does not exist yet. */
  text: string;
  exists: boolean;
  /** A hash of the text: what an edit started from. */
  revision: string;
}

export function revisionOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

export async function readConfigFile(path: string): Promise<ConfigFileState> {
  try {
    const text = await readFile(path, 'utf8');
    return { text, exists: true, revision: revisionOf(text) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { text: '', exists: false, revision: revisionOf('') };
    throw error;
  }
}

/** The outcome of validating a config text. */
export interface ConfigValidation {
  /** The parsed JSON5 (before defaults and interpolation); null on a syntax error. */
  raw: unknown;
  /** Errors and warnings, each naming its key and the fix. */
  issues: ConfigIssue[];
  valid: boolean;
}

/** Parses JSON5 and runs core's checks plus the gateway's own (`validators`). */
export function validateConfigText(
  text: string,
  options: { validators?: ConfigValidator[]; env?: NodeJS.ProcessEnv; source?: string },
): ConfigValidation {
  let raw: unknown;
  try {
    raw = parseJSON5File(options.source ?? 'the config', text);
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    return {
      raw: null,
      valid: false,
      issues: error.issues.map(issue => ({ ...issue, severity: 'error' as const })),
    };
  }
  const issues = validateConfig(raw, {
    env: options.env ?? process.env,
    source: options.source,
    extraValidators: options.validators,
  });
  return { raw, issues, valid: !issues.some(issue => issue.severity !== 'warning') };
}
