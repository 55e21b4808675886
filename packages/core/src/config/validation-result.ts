import type { ConfigIssue } from '../errors/config-error.js';

/**
 * The answer of `ConfigManager#validateConfig` and `ConfigPresetManager#validateConfig` (the seed
 * plan's `ValidationResult`): `valid` is false when the config cannot work.
 */
export interface ValidationResult {
  valid: boolean;
  /** Problems that make the config unusable, as `path: message (fix)` lines. */
  errors: string[];
  /** Problems that let it load but are likely mistakes. */
  warnings: string[];
  /** The same problems with their path, message, hint and severity. */
  issues: ConfigIssue[];
}

/** Splits analysed issues into a {@link ValidationResult}. */
export function toValidationResult(issues: readonly ConfigIssue[]): ValidationResult {
  const describe = (issue: ConfigIssue): string =>
    `${issue.path === '' ? 'config' : issue.path}: ${issue.message}${issue.hint ? ` (${issue.hint})` : ''}`;
  const errors = issues.filter(issue => issue.severity !== 'warning');
  const warnings = issues.filter(issue => issue.severity === 'warning');
  return {
    valid: errors.length === 0,
    errors: errors.map(describe),
    warnings: warnings.map(describe),
    issues: [...issues],
  };
}
