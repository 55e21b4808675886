import { LRUCache } from 'lru-cache';

/** One finished turn of a Claude Code session, as the gateway saw it. */
export interface SessionTurn {
  provider: string;
  model: string;
  /** The routing reason (`default`, `longContext`, `explicit`, `rule:<name>`, …). */
  reason: string;
  /**
   * Context the upstream reported for the turn: input tokens plus cache reads and writes. CCR
   * compares only `input_tokens` (cached tokens already subtracted), which under-reports a cached
   * conversation; the whole context is what the long-context rule is about.
   */
  contextTokens: number;
  inputTokens: number;
  outputTokens: number;
  /** Epoch milliseconds when the turn finished. */
  at: number;
}

/** What is remembered about one session. */
export interface SessionSummary {
  sessionId: string;
  last: SessionTurn;
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

/** The part of {@link SessionMemory} the router reads. */
export interface SessionUsageLookup {
  /** Context tokens of the session's previous turn, if known. */
  previousContextTokens(sessionId: string): number | undefined;
}

/**
 * In-process memory of recent sessions (LRU, like CCR's `sessionUsageCache`): the previous turn's
 * usage feeds CCR's second long-context trigger, and the last route plus running totals feed
 * `conduit statusline`. Nothing here is persisted; the ledger is the durable record.
 */
export class SessionMemory implements SessionUsageLookup {
  private readonly sessions: LRUCache<string, SessionSummary>;

  constructor(options: { maxSessions?: number } = {}) {
    this.sessions = new LRUCache({ max: options.maxSessions ?? 1000 });
  }

  /** Records a finished turn of `sessionId`. */
  recordTurn(sessionId: string, turn: SessionTurn): void {
    const known = this.sessions.get(sessionId);
    this.sessions.set(sessionId, {
      sessionId,
      last: turn,
      requests: (known?.requests ?? 0) + 1,
      inputTokens: (known?.inputTokens ?? 0) + turn.inputTokens,
      outputTokens: (known?.outputTokens ?? 0) + turn.outputTokens,
    });
  }

  get(sessionId: string): SessionSummary | undefined {
    return this.sessions.get(sessionId);
  }

  previousContextTokens(sessionId: string): number | undefined {
    return this.sessions.peek(sessionId)?.last.contextTokens;
  }
}
