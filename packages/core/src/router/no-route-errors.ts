import { describeList } from '../config/provider-index.js';
import { NoRouteError } from '../errors/no-route-error.js';

const exampleConfig =
  '{ "Providers": [{ "name": "deepseek", "api_base_url": "https://api.deepseek.com/chat/completions", "api_key": "$DEEPSEEK_API_KEY", "models": ["deepseek-chat"] }], "Router": { "default": "deepseek,deepseek-chat" } }';

/** Where the user should edit, for messages. */
export function describeConfigLocation(configPath: string | undefined): string {
  return configPath ?? '$CONDUIT_HOME/config.json (default ~/.conduit/config.json)';
}

export function noProvidersError(configPath: string | undefined): NoRouteError {
  return new NoRouteError({
    kind: 'no-providers',
    message: `No providers are configured, so Conduit has nowhere to send requests. Add one to ${describeConfigLocation(configPath)}, for example: ${exampleConfig}`,
  });
}

export function noDefaultError(configPath: string | undefined, choices: string[]): NoRouteError {
  return new NoRouteError({
    kind: 'no-default',
    choices,
    message: `No routing rule matched and Router.default is not set. Add "Router": { "default": "provider,model" } to ${describeConfigLocation(configPath)}${choices.length > 0 ? `, using one of ${describeList(choices)}` : ''}.`,
  });
}

export function unknownProviderError(
  origin: string,
  route: string,
  provider: string | undefined,
  choices: string[],
): NoRouteError {
  const what =
    provider === undefined
      ? `is not a "provider,model" route`
      : `names provider "${provider}", which is not configured`;
  return new NoRouteError({
    kind: 'unknown-provider',
    choices,
    message: `${origin} "${route}" ${what}. Use one of ${describeList(choices)}${provider === undefined ? '' : `, or add a provider named "${provider}" to Providers`}.`,
  });
}

export function unknownModelError(
  origin: string,
  route: string,
  target: { provider: string; model: string },
  models: string[],
  choices: string[],
): NoRouteError {
  return new NoRouteError({
    kind: 'unknown-model',
    choices,
    message: `${origin} "${route}" names model "${target.model}", which is not in the models of provider "${target.provider}" (${describeList(models)}). Add it to that provider's "models", or use one of ${describeList(choices)}.`,
  });
}
