import { ConduitError, PluginRejectionError } from '@conduit/core';

const name = 'BudgetExceededError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/** Whose budget: a project's or an agent's. */
export type BudgetScope = 'project' | 'agent';
/** Which window: the current UTC day or the current UTC month. */
export type BudgetPeriod = 'daily' | 'monthly';

/** One budget that a request ran into. */
export interface BudgetViolation {
  scope: BudgetScope;
  /** The project or agent id. */
  id: string;
  /** The project of an agent budget, when known. */
  projectId?: string;
  period: BudgetPeriod;
  /** Spend in the window so far, in USD. */
  spentUsd: number;
  limitUsd: number;
  /** When the window resets (ISO 8601, UTC). */
  resetsAt: string;
}

/**
 * A project or agent is over its daily or monthly cost limit and `synapse.budgetAction` is
 * `reject`. A {@link PluginRejectionError} with status 429, so the server answers with an
 * Anthropic `rate_limit_error` naming the budget.
 */
export class BudgetExceededError extends PluginRejectionError {
  private readonly [symbol] = true;
  readonly violation: BudgetViolation;

  constructor({ violation, cause }: { violation: BudgetViolation; cause?: unknown }) {
    super({
      pluginName: 'synapse',
      message: describeBudgetViolation(violation),
      statusCode: 429,
      cause,
    });
    this.name = name;
    this.violation = violation;
  }

  static override isInstance(error: unknown): error is BudgetExceededError {
    return ConduitError.hasMarker(error, marker);
  }
}

/**
 * `Synapse budget exceeded: project "web" has spent $5.0312 of its $5.00 daily limit (resets
 * 2026-11-26T00:00:00.000Z).`
 */
export function describeBudgetViolation(violation: BudgetViolation): string {
  const who =
    violation.scope === 'project'
      ? `project "${violation.id}"`
      : `agent "${violation.id}"${violation.projectId ? ` of project "${violation.projectId}"` : ''}`;
  return `Synapse budget exceeded: ${who} has spent ${formatUsd(violation.spentUsd)} of its ${formatUsd(violation.limitUsd)} ${violation.period} limit (resets ${violation.resetsAt}).`;
}

function formatUsd(amount: number): string {
  return `$${amount.toFixed(amount !== 0 && Math.abs(amount) < 10 ? 4 : 2)}`;
}
