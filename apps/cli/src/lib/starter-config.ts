/**
 * The config `conduit config init` writes: one OpenAI-compatible provider whose key is a `$VAR`
 * reference (the secret stays in the environment), a default and a background route.
 * @module
 */

/** The answers that shape the starter config. */
export interface StarterConfigAnswers {
  providerName: string;
  /** Full chat-completions endpoint URL (CCR semantics). */
  baseURL: string;
  /** Environment variable holding the provider key, without `$`. */
  apiKeyVariable: string;
  model: string;
  /** Model for Claude Code's background requests; empty for none. */
  backgroundModel: string;
  port: number;
}

/** Defaults used when stdin is not a terminal (nothing is asked). */
export const defaultStarterAnswers: StarterConfigAnswers = {
  providerName: 'openai',
  baseURL: 'https://api.openai.com/v1/chat/completions',
  apiKeyVariable: 'OPENAI_API_KEY',
  model: 'gpt-4.1',
  backgroundModel: 'gpt-4.1-mini',
  port: 3456,
};

/** Builds the starter config object from the answers. */
export function buildStarterConfig(answers: StarterConfigAnswers): Record<string, unknown> {
  const models = [answers.model];
  if (answers.backgroundModel && answers.backgroundModel !== answers.model)
    models.push(answers.backgroundModel);
  const router: Record<string, unknown> = {
    default: `${answers.providerName},${answers.model}`,
    longContextThreshold: 60000,
  };
  if (answers.backgroundModel)
    router.background = `${answers.providerName},${answers.backgroundModel}`;
  return {
    HOST: '127.0.0.1',
    PORT: answers.port,
    LOG_LEVEL: 'info',
    API_TIMEOUT_MS: 600000,
    Providers: [
      {
        name: answers.providerName,
        api_base_url: answers.baseURL,
        api_key: `$${answers.apiKeyVariable}`,
        models,
      },
    ],
    Router: router,
    usage: { enabled: true },
  };
}
