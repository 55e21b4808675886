/** Routing: paste a Messages request (or start from a recent one) and see every rule the router weighs. */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNote, Panel } from '../components/ui-kit';
import { formatCount } from '../format';
import type { RequestEvent, RoutingStep } from '../types';

interface Explanation {
  tokenCount: number;
  decision: {
    provider: string;
    model: string;
    reason: string;
    scenario: string;
    fallbacks: string[];
  } | null;
  steps: RoutingStep[];
  error: string | null;
}

const example = JSON.stringify(
  {
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Explain this repository' }],
  },
  null,
  2,
);

export function RoutingPage(props: { requestId?: string }) {
  const [text, setText] = useState(example);
  const [explanation, setExplanation] = useState<Explanation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [recent, setRecent] = useState<RequestEvent[]>([]);
  const [picked, setPicked] = useState<RequestEvent | null>(null);

  useEffect(() => {
    api
      .get<{ requests: RequestEvent[] }>('/ui/api/requests?limit=50')
      .then(result => {
        setRecent(result.requests);
        if (props.requestId)
          setPicked(result.requests.find(event => event.id === props.requestId) ?? null);
      })
      .catch(() => undefined);
  }, [props.requestId]);

  const explain = async (event: Event) => {
    event.preventDefault();
    setError(null);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (failure) {
      setExplanation(null);
      setError(new Error(`The request is not valid JSON: ${(failure as Error).message}`));
      return;
    }
    try {
      setExplanation(await api.post<Explanation>('/ui/api/explain', { body }));
    } catch (failure) {
      setExplanation(null);
      setError(failure);
    }
  };

  return (
    <div>
      <div class="toolbar">
        <h1>Routing</h1>
      </div>
      <div class="grid-2">
        <Panel title="Request">
          <form onSubmit={explain}>
            <label for="explain-body">Messages API request body (JSON)</label>
            <textarea
              id="explain-body"
              class="code"
              rows={16}
              spellcheck={false}
              value={text}
              onInput={event => setText(event.currentTarget.value)}
            />
            <div class="actions">
              <button type="submit" class="primary">
                Explain
              </button>
            </div>
          </form>
          <label for="recent-request">Or look at a recent request</label>
          <select
            id="recent-request"
            value={picked?.id ?? ''}
            onChange={event =>
              setPicked(recent.find(item => item.id === event.currentTarget.value) ?? null)
            }
          >
            <option value="">Choose a recent request…</option>
            {recent.map(item => (
              <option key={item.id} value={item.id}>
                {new Date(item.startedAt).toLocaleTimeString()} · {item.routeReason ?? '—'} →{' '}
                {item.servedBy ?? item.routedTo ?? '—'}
              </option>
            ))}
          </select>
          {picked ? (
            <dl class="compact" aria-label="Recorded decision">
              <dt>Reason</dt>
              <dd>
                {picked.routeReason} (scenario {picked.scenario})
              </dd>
              <dt>Routed to</dt>
              <dd>{picked.routedTo ?? '—'}</dd>
              <dt>Served by</dt>
              <dd>{picked.servedBy ?? '—'}</dd>
              <dt>Token count</dt>
              <dd>{picked.tokenCount === null ? '—' : formatCount(picked.tokenCount)}</dd>
              <dt>Fallbacks</dt>
              <dd>{picked.fallbacks.join(' → ') || 'none'}</dd>
            </dl>
          ) : null}
          {picked ? (
            <p class="muted">
              Bodies are not stored, so the rule-by-rule view needs the body pasted above.
            </p>
          ) : null}
        </Panel>
        <Panel title="Decision">
          <ErrorNote error={error} />
          {explanation ? (
            <div id="explanation">
              <p class="decision">
                {explanation.decision ? (
                  <>
                    <strong>
                      {explanation.decision.provider},{explanation.decision.model}
                    </strong>{' '}
                    because <code>{explanation.decision.reason}</code> (
                    {formatCount(explanation.tokenCount)} tokens)
                  </>
                ) : (
                  <span class="error-note">No route: {explanation.error}</span>
                )}
              </p>
              {explanation.decision && explanation.decision.fallbacks.length > 0 ? (
                <p class="muted">Fallbacks: {explanation.decision.fallbacks.join(' → ')}</p>
              ) : null}
              <ol class="steps">
                {explanation.steps.map((step, index) => (
                  <li key={`${step.rule}-${index}`} class={step.fired ? 'fired' : ''}>
                    <span class="step-mark" aria-hidden="true">
                      {step.fired ? '✔' : '·'}
                    </span>
                    <span class="visually-hidden">{step.fired ? 'fired' : 'did not fire'}</span>{' '}
                    <code>{step.rule}</code>: {step.detail}
                  </li>
                ))}
              </ol>
            </div>
          ) : (
            <p class="muted">
              Explain a request to see each rule in order, whether it fired and why.
            </p>
          )}
        </Panel>
      </div>
    </div>
  );
}
