/**
 * The router on its own: which provider and model would serve a request, and why. No server and no
 * upstream call, so this is how you test a config (it is what `conduit route --explain` does).
 *
 *   npx tsx --tsconfig docs/examples/tsconfig.json docs/examples/router.ts
 */
import { pathToFileURL } from 'node:url';
import { type MessagesRequest, createConduitRouter } from '@conduit/core';

/** Options of {@link main}. */
export interface RouterExampleOptions {
  /** Base URL of the OpenAI-compatible upstream named in the config (default DeepSeek's). */
  baseURL?: string;
  /** Where progress lines go (default `console.log`). */
  log?: (line: string) => void;
}

/** One routed request, for the test. */
export interface RoutedExample {
  label: string;
  route: string;
  reason: string;
  tokenCount: number;
}

export async function main(options: RouterExampleOptions = {}): Promise<{
  routed: RoutedExample[];
  explanation: string[];
}> {
  const log = options.log ?? console.log;
  const baseURL = (options.baseURL ?? 'https://api.deepseek.com').replace(/\/$/, '');
  const router = createConduitRouter({
    Providers: [
      {
        name: 'deepseek',
        api_base_url: `${baseURL}/chat/completions`,
        api_key: '$DEEPSEEK_API_KEY',
        models: ['deepseek-chat', 'deepseek-reasoner'],
      },
      {
        name: 'ollama',
        api_base_url: 'http://127.0.0.1:11434/v1/chat/completions',
        models: ['qwen2.5-coder:7b'],
      },
    ],
    Router: {
      default: 'deepseek,deepseek-chat',
      background: 'ollama,qwen2.5-coder:7b',
      think: 'deepseek,deepseek-reasoner',
      customRules: [
        {
          name: 'docs-to-local',
          route: 'ollama,qwen2.5-coder:7b',
          conditions: [{ field: 'message', operator: 'matches', value: '/^write docs/i' }],
        },
      ],
    },
  });

  const ask = (text: string, extra: Partial<MessagesRequest> = {}): MessagesRequest => ({
    model: 'claude-sonnet-5',
    max_tokens: 1024,
    messages: [{ role: 'user', content: text }],
    ...extra,
  });
  const requests: Array<[string, MessagesRequest]> = [
    ['a plain turn', ask('fix the failing test')],
    ['a background request', ask('summarize this title', { model: 'claude-haiku-4-5' })],
    [
      'thinking enabled',
      ask('plan the migration', { thinking: { type: 'enabled', budget_tokens: 4096 } }),
    ],
    ['a custom rule', ask('Write docs for the router')],
    ['an explicit provider,model', ask('hi', { model: 'ollama,qwen2.5-coder:7b' })],
  ];

  const routed: RoutedExample[] = [];
  for (const [label, request] of requests) {
    const decision = await router.route({ request });
    const route = `${decision.provider},${decision.model}`;
    routed.push({ label, route, reason: decision.reason, tokenCount: decision.tokenCount });
    log(`${label}: ${route} (${decision.reason}, ${decision.tokenCount} tokens)`);
  }

  // explain() lists every rule in precedence order, and why it fired or not.
  const { decision, steps } = await router.explain({
    request: ask('summarize', { model: 'claude-haiku-4-5' }),
  });
  const explanation = steps.map(step => `${step.fired ? '✓' : '·'} ${step.rule}: ${step.detail}`);
  log(`explain → ${decision?.provider},${decision?.model}\n  ${explanation.join('\n  ')}`);
  return { routed, explanation };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
