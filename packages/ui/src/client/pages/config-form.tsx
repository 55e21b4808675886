/** The structured half of the Config page: Providers and Router slots, editing the parsed config. */

type Config = Record<string, unknown>;
interface Provider {
  name?: string;
  api_base_url?: string;
  api_key?: string;
  models?: string[];
  [key: string]: unknown;
}

export const routerSlots = [
  ['default', 'Default'],
  ['background', 'Background'],
  ['think', 'Think'],
  ['longContext', 'Long context'],
  ['webSearch', 'Web search'],
  ['image', 'Image'],
] as const;

function providersOf(config: Config): Provider[] {
  const providers = config.Providers ?? config.providers;
  return Array.isArray(providers) ? (providers as Provider[]) : [];
}

function routerOf(config: Config): Record<string, unknown> {
  const router = config.Router;
  return router && typeof router === 'object' ? (router as Record<string, unknown>) : {};
}

export function ConfigForm(props: {
  config: Config;
  disabled: boolean;
  onChange: (next: Config) => void;
}) {
  const providers = providersOf(props.config);
  const router = routerOf(props.config);
  const targets = providers.flatMap(provider =>
    (provider.models ?? []).map(model => `${provider.name ?? ''},${model}`),
  );
  const providersKey =
    'Providers' in props.config || !('providers' in props.config) ? 'Providers' : 'providers';

  const setProviders = (next: Provider[]) =>
    props.onChange({ ...props.config, [providersKey]: next });
  const setProvider = (index: number, patch: Partial<Provider>) =>
    setProviders(
      providers.map((provider, position) =>
        position === index ? { ...provider, ...patch } : provider,
      ),
    );
  const setSlot = (slot: string, value: string) => {
    const next = { ...router };
    if (value === '') delete next[slot];
    else next[slot] = value;
    props.onChange({ ...props.config, Router: next });
  };

  return (
    <fieldset class="config-form" disabled={props.disabled}>
      <legend>Providers</legend>
      {providers.map((provider, index) => (
        <div class="provider-card" key={index}>
          <div class="form-grid">
            <label>
              Name
              <input
                value={provider.name ?? ''}
                onChange={event => setProvider(index, { name: event.currentTarget.value })}
              />
            </label>
            <label>
              API base URL
              <input
                value={provider.api_base_url ?? ''}
                onChange={event => setProvider(index, { api_base_url: event.currentTarget.value })}
              />
            </label>
            <label>
              API key
              <input
                value={provider.api_key ?? ''}
                placeholder="$PROVIDER_API_KEY"
                autocomplete="off"
                aria-describedby="key-help"
                onChange={event => setProvider(index, { api_key: event.currentTarget.value })}
              />
            </label>
            <label>
              Models (comma-separated)
              <input
                value={(provider.models ?? []).join(', ')}
                onChange={event =>
                  setProvider(index, {
                    models: event.currentTarget.value
                      .split(',')
                      .map(model => model.trim())
                      .filter(Boolean),
                  })
                }
              />
            </label>
          </div>
          <button
            type="button"
            class="link-button"
            onClick={() => setProviders(providers.filter((_, position) => position !== index))}
          >
            Remove {provider.name || 'this provider'}
          </button>
        </div>
      ))}
      <p id="key-help" class="muted">
        Keys show as <code>$VARIABLE</code> references or as <code>[redacted:…]</code>; a redacted
        key is kept as it is when you save.
      </p>
      <button
        type="button"
        onClick={() =>
          setProviders([...providers, { name: '', api_base_url: '', api_key: '', models: [] }])
        }
      >
        Add provider
      </button>
      <h3>Router</h3>
      <div class="form-grid">
        {routerSlots.map(([slot, label]) => {
          const current = typeof router[slot] === 'string' ? (router[slot] as string) : '';
          const options = current && !targets.includes(current) ? [current, ...targets] : targets;
          return (
            <label key={slot}>
              {label}
              <select
                id={`router-${slot}`}
                value={current}
                onChange={event => setSlot(slot, event.currentTarget.value)}
              >
                <option value="">
                  {slot === 'default' ? 'Choose a model…' : '(same as default)'}
                </option>
                {options.map(target => (
                  <option key={target} value={target}>
                    {target}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
