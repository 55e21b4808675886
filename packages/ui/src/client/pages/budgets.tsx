/** Budgets: Synapse spend against each daily and monthly limit, per project and agent. */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNote } from '../components/ui-kit';
import { formatCost, formatPercent } from '../format';
import type { BudgetLine } from '../types';

export function BudgetsPage() {
  const [answer, setAnswer] = useState<{
    configured: boolean;
    lines: BudgetLine[];
    message?: string;
  } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api
      .get<{ configured: boolean; lines: BudgetLine[] }>('/ui/api/budgets')
      .then(setAnswer, setError);
  }, []);
  return (
    <div>
      <div class="toolbar">
        <h1>Budgets</h1>
      </div>
      <ErrorNote error={error} />
      {answer && !answer.configured ? (
        <p class="muted">
          No Synapse budgets are configured. Set <code>synapse.budgets</code> (daily and monthly USD
          limits per project and agent) to track spend here.
        </p>
      ) : null}
      {answer?.message ? <p class="warning-note">{answer.message}</p> : null}
      {answer?.configured && answer.lines.length === 0 ? (
        <p class="muted">No spend against a budget yet.</p>
      ) : null}
      {answer && answer.lines.length > 0 ? (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Scope</th>
              <th scope="col">Id</th>
              <th scope="col">Period</th>
              <th scope="col" class="num">
                Spent
              </th>
              <th scope="col" class="num">
                Limit
              </th>
              <th scope="col">Used</th>
            </tr>
          </thead>
          <tbody>
            {answer.lines.map(line => (
              <tr key={`${line.scope}:${line.id}:${line.period}`}>
                <td>{line.scope}</td>
                <th scope="row">{line.id}</th>
                <td>{line.period}</td>
                <td class="num">{formatCost(line.spentUsd)}</td>
                <td class="num">{formatCost(line.limitUsd)}</td>
                <td>
                  <meter
                    min={0}
                    max={1}
                    low={0.7}
                    high={0.9}
                    optimum={0}
                    value={Math.min(line.used, 1)}
                    aria-label={`${formatPercent(line.used)} used`}
                  />{' '}
                  {formatPercent(line.used)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
