import type { GatewaySessionInfo } from './gateway-session.js';

/** The share of a budget spent from which the status line marks it (80%). */
export const defaultBudgetWarningPercent = 80;

/**
 * One line per budget of the session at or above `percent` of its limit, the fullest first:
 * `budget 85%: project web daily $4.25/$5.00`. Budgets the gateway already reported as reached
 * (a downgrade, in `budgets`) are left out: the gateway's own warning names them. A budget both
 * Synapse and the fleet enforce is named once, with the larger share.
 */
export function describeNearBudgets(
  session: GatewaySessionInfo,
  percent: number = defaultBudgetWarningPercent,
): string[] {
  const keyOf = (budget: { scope: string; id: string; period: string }) =>
    `${budget.scope}\u0000${budget.id}\u0000${budget.period}`;
  const reported = new Set((session.budgets ?? []).map(keyOf));
  // Synapse and the fleet may both limit the same project or agent: the fuller one counts.
  const fullest = new Map<string, NonNullable<GatewaySessionInfo['budgetUse']>[number]>();
  for (const budget of session.budgetUse ?? []) {
    const key = keyOf(budget);
    if (budget.fraction * 100 < percent || reported.has(key)) continue;
    const known = fullest.get(key);
    if (!known || budget.fraction > known.fraction) fullest.set(key, budget);
  }
  return [...fullest.values()]
    .sort((left, right) => right.fraction - left.fraction)
    .map(
      budget =>
        `budget ${Math.floor(budget.fraction * 100)}%: ${budget.scope} ${budget.id} ${budget.period} ${usd(budget.spentUsd)}/${usd(budget.limitUsd)}`,
    );
}

function usd(value: number): string {
  return `$${value >= 1 ? value.toFixed(2) : value.toFixed(4)}`;
}
