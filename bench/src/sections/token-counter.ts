import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type MessagesRequest, TokenCounter } from '@conduit/core';
import { type Summary, summarize } from '../lib/statistics.js';
import { claudeCodeFixture } from './bench-requests.js';

/** Counts of one fixture. */
export interface FixtureCount {
  fixture: string;
  bytes: number;
  tokens: number;
  /** A fresh counter (empty cache; encoder loaded): what the first request of a conversation costs. */
  coldMedianMs: number;
  /** The same counter again: what every later turn costs for the parts it repeats. */
  warmMedianMs: number;
}

/** The token counter section. */
export interface TokenCounterResult {
  /** The first count in this process (encoder tables built). */
  firstCountMs: number;
  fixtures: FixtureCount[];
  coldMedianMs: Summary;
  warmMedianMs: Summary;
  growingConversation: GrowingConversationResult;
}

/** A conversation grown turn by turn to about 200k tokens, each turn's whole request counted. */
export interface GrowingConversationResult {
  turns: number;
  finalTokens: number;
  finalBytes: number;
  /** Per-turn count time with one warm counter (as the gateway keeps it). */
  perTurnMs: Summary;
  lastTurnMs: number;
  /** The final 200k-token request counted by a fresh counter (nothing cached). */
  finalColdMs: number;
}

function time(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

function medianOf(values: number[]): number {
  return summarize(values).median;
}

/** Cold and warm counts of every request fixture (`*-messages.json`, `*-count_tokens.json`). */
export function measureFixtures(
  fixturesDirectory: string,
  runs: { cold: number; warm: number },
): Omit<TokenCounterResult, 'growingConversation'> {
  const firstText = readFileSync(join(fixturesDirectory, claudeCodeFixture), 'utf8');
  const firstCountMs = time(() => new TokenCounter().countRequest(JSON.parse(firstText)));
  const names = readdirSync(fixturesDirectory)
    .filter(name => name.endsWith('-messages.json') || name.endsWith('-count_tokens.json'))
    .sort();
  const fixtures: FixtureCount[] = [];
  for (const name of names) {
    const text = readFileSync(join(fixturesDirectory, name), 'utf8');
    const parse = () => JSON.parse(text) as MessagesRequest;
    const tokens = new TokenCounter().countRequest(parse());
    const cold: number[] = [];
    for (let run = 0; run < runs.cold; run++) {
      const request = parse();
      cold.push(time(() => new TokenCounter().countRequest(request)));
    }
    const counter = new TokenCounter();
    counter.countRequest(parse());
    const warm: number[] = [];
    for (let run = 0; run < runs.warm; run++) {
      const request = parse();
      warm.push(time(() => counter.countRequest(request)));
    }
    fixtures.push({
      fixture: name,
      bytes: Buffer.byteLength(JSON.stringify(parse())),
      tokens,
      coldMedianMs: medianOf(cold),
      warmMedianMs: medianOf(warm),
    });
  }
  return {
    firstCountMs,
    fixtures,
    coldMedianMs: summarize(fixtures.map(fixture => fixture.coldMedianMs)),
    warmMedianMs: summarize(fixtures.map(fixture => fixture.warmMedianMs)),
  };
}

/**
 * Grows the Claude Code conversation turn by turn (assistant text + tool_use, then a user
 * tool_result of about 6 KB of real prompt text) until the request holds `targetTokens`, counting
 * each turn's full request with one warm counter.
 */
export function measureGrowingConversation(
  fixturesDirectory: string,
  targetTokens: number,
): GrowingConversationResult {
  const sourceText = readFileSync(join(fixturesDirectory, claudeCodeFixture), 'utf8');
  const request = JSON.parse(sourceText) as MessagesRequest & { messages: unknown[] };
  const material = JSON.stringify(request.tools ?? request.system ?? sourceText);
  const counter = new TokenCounter();
  const perTurn: number[] = [];
  let tokens = counter.countRequest(request);
  let turn = 0;
  while (tokens < targetTokens && turn < 10_000) {
    turn++;
    const offset = (turn * 7919) % Math.max(1, material.length - 6000);
    request.messages.push(
      {
        role: 'assistant',
        content: [
          { type: 'text', text: `Turn ${turn}: let me look at the next part of the code.` },
          {
            type: 'tool_use',
            id: `toolu_bench_${turn}`,
            name: 'Bash',
            input: { command: `sed -n ${turn * 40},${turn * 40 + 120}p src/gateway.ts` },
          },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: `toolu_bench_${turn}`,
            content: `${turn}\n${material.slice(offset, offset + 6000)}`,
          },
        ],
      },
    );
    const started = performance.now();
    tokens = counter.countRequest(request);
    perTurn.push(performance.now() - started);
  }
  const finalColdMs = time(() => new TokenCounter().countRequest(request));
  return {
    turns: turn,
    finalTokens: tokens,
    finalBytes: Buffer.byteLength(JSON.stringify(request)),
    perTurnMs: summarize(perTurn),
    lastTurnMs: perTurn[perTurn.length - 1] ?? Number.NaN,
    finalColdMs,
  };
}
