import type { BudgetUse, ServerExtension } from '@conduit/core';

/** An extension slower than this leaves its budgets out: the status line must not wait. */
const readTimeoutMs = 150;

/** Reads every extension's budgets for one session; none → undefined. */
export type SessionBudgetReader = (sessionId: string) => Promise<BudgetUse[]>;

/**
 * Asks every extension that knows budgets (`sessionBudgets`) at once. An extension that fails or
 * takes longer than {@link readTimeoutMs} contributes nothing: the answer is for a display, and
 * an empty list only means "no warning".
 */
export function createSessionBudgetReader(
  extensions: readonly ServerExtension[],
): SessionBudgetReader | undefined {
  const readers = extensions.filter(
    (extension): extension is ServerExtension & Required<Pick<ServerExtension, 'sessionBudgets'>> =>
      typeof extension.sessionBudgets === 'function',
  );
  if (readers.length === 0) return undefined;
  return async sessionId => {
    const answers = await Promise.all(
      readers.map(extension => withTimeout(() => extension.sessionBudgets(sessionId))),
    );
    return answers.flat();
  };
}

async function withTimeout(read: () => Promise<BudgetUse[]>): Promise<BudgetUse[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<BudgetUse[]>(resolve => {
    timer = setTimeout(() => resolve([]), readTimeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([read().catch(() => []), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
