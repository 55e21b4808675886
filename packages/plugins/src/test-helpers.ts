import type { Logger, RequestRoutingContext, RoutingDecision } from '@conduit/core';

/** One line written to a {@link RecordingLogger}. */
export interface LogLine {
  level: keyof Logger;
  message: string;
  details?: Record<string, unknown>;
}

/** A Logger that keeps every line, for assertions. */
export interface RecordingLogger extends Logger {
  lines: LogLine[];
  /** Messages at one level. */
  messages(level: keyof Logger): string[];
}

export function createRecordingLogger(): RecordingLogger {
  const lines: LogLine[] = [];
  const write = (level: keyof Logger) => (message: string, details?: Record<string, unknown>) => {
    lines.push({ level, message, details });
  };
  return {
    lines,
    messages: level => lines.filter(line => line.level === level).map(line => line.message),
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}

/** A minimal routing context around a one-message request. */
export function createContext(
  overrides: Partial<RequestRoutingContext> = {},
): RequestRoutingContext {
  return {
    request: {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'hello' }],
    },
    tokenCount: 10,
    headers: {},
    metadata: {},
    ...overrides,
  };
}

/** A plausible router decision. */
export function createDecision(overrides: Partial<RoutingDecision> = {}): RoutingDecision {
  return {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    reason: 'default',
    scenario: 'default',
    confidence: 0.5,
    tokenCount: 10,
    fallbacks: [],
    metadata: {},
    ...overrides,
  };
}

/** A promise that never settles (a hung plugin hook). */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}
