import { ConduitError } from './conduit-error.js';

const name = 'ConfigError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/** One problem in a configuration, with where it is and how to fix it. */
export interface ConfigIssue {
  /** Dotted path of the offending key, e.g. `Router.default` or `Providers[2].api_base_url`. */
  path: string;
  message: string;
  /** A concrete fix, when there is one. */
  hint?: string;
  /**
   * `error` (the default when absent): the config cannot work and is rejected. `warning`: it loads,
   * but something is likely wrong (e.g. an API key that references an unset environment variable).
   */
  severity?: 'error' | 'warning';
}

/** A configuration that cannot work. Carries every problem found, not just the first. */
export class ConfigError extends ConduitError {
  private readonly [symbol] = true;
  readonly issues: ConfigIssue[];
  readonly source?: string;

  constructor({
    issues,
    source,
    cause,
  }: { issues: ConfigIssue[]; source?: string; cause?: unknown }) {
    super({ name, message: formatConfigIssues(issues, source), cause });
    this.issues = issues;
    this.source = source;
  }

  static override isInstance(error: unknown): error is ConfigError {
    return ConduitError.hasMarker(error, marker);
  }
}

/** Renders issues one per line: `Router.default: names provider "x" … (fix: …)`. */
export function formatConfigIssues(issues: ConfigIssue[], source?: string): string {
  const head = `Invalid Conduit config${source ? ` (${source})` : ''}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`;
  const lines = issues.map(
    issue =>
      `  - ${issue.severity === 'warning' ? '(warning) ' : ''}${issue.path || '(root)'}: ${issue.message}${issue.hint ? ` Fix: ${issue.hint}` : ''}`,
  );
  return [head, ...lines].join('\n');
}
