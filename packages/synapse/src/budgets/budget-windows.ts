import type { BudgetPeriod } from '../errors/budget-exceeded-error.js';

/** The UTC window of a period containing `at`: `[start, end)` in epoch ms. */
export function budgetWindow(period: BudgetPeriod, at: number): { start: number; end: number } {
  const date = new Date(at);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  if (period === 'daily') {
    const start = Date.UTC(year, month, date.getUTCDate());
    return { start, end: start + 86_400_000 };
  }
  return { start: Date.UTC(year, month, 1), end: Date.UTC(year, month + 1, 1) };
}
