/** Requests: the live log (SSE), filters, and a detail panel with the routing decision and timing. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNote, NumericHeaders, StatusBadge } from '../components/ui-kit';
import { formatCost, formatCount, formatMs, formatTime } from '../format';
import type { RequestEvent } from '../types';

const maximumRows = 1000;

function RequestDetail(props: { event: RequestEvent; onClose: () => void }) {
  const event = props.event;
  const rows: Array<[string, string]> = [
    ['Request id', event.id],
    ['Arrived', new Date(event.startedAt).toLocaleString()],
    ['Requested model', event.requestedModel ?? '—'],
    ['Route reason', `${event.routeReason ?? '—'} (scenario ${event.scenario ?? '—'})`],
    ['Routed to', event.routedTo ?? '—'],
    ['Served by', `${event.servedBy ?? '—'}${event.fellBack ? ' (after a fallback)' : ''}`],
    ['Fallback chain', event.fallbacks.length > 0 ? event.fallbacks.join(' → ') : 'none'],
    ['Router token count', event.tokenCount === null ? '—' : formatCount(event.tokenCount)],
    [
      'Tokens in / out',
      `${formatCount(event.inputTokens)} / ${formatCount(event.outputTokens)}${event.usageEstimated ? ' (estimated)' : ''}`,
    ],
    [
      'Cache read / write',
      `${formatCount(event.cacheReadTokens)} / ${formatCount(event.cacheWriteTokens)}`,
    ],
    ['Cost', formatCost(event.costUsd)],
    ['Time to first byte', formatMs(event.ttfbMs)],
    ['Upstream', formatMs(event.upstreamMs)],
    ['Total latency', formatMs(event.latencyMs)],
    [
      'Conduit overhead',
      event.upstreamMs === null ? '—' : formatMs(Math.max(event.latencyMs - event.upstreamMs, 0)),
    ],
    ['Status', `${event.status}${event.errorType ? ` ${event.errorType}` : ''}`],
    ['Streamed', event.streamed ? 'yes' : 'no'],
    ['Project / agent', `${event.projectId ?? '—'} / ${event.agentId ?? '—'}`],
    // On a fleet sharing Redis, requests other instances served appear here too.
    ['Served by instance', event.instance ?? 'this one'],
  ];
  return (
    <aside class="detail" aria-label="Request detail">
      <header class="panel-header">
        <h2>Request</h2>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </header>
      <dl>
        {rows.map(([term, value]) => (
          <div key={term} class="detail-row">
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p class="muted">
        Request and response bodies are not stored. To see every rule the router considered, paste
        the body on the Routing page.
      </p>
      <a href={`#/routing?request=${encodeURIComponent(event.id)}`}>Open in Routing</a>
    </aside>
  );
}

export function RequestsPage() {
  const [events, setEvents] = useState<RequestEvent[]>([]);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [filter, setFilter] = useState('');
  const [onlyErrors, setOnlyErrors] = useState(false);
  const [selected, setSelected] = useState<RequestEvent | null>(null);

  useEffect(() => {
    let closed = false;
    api
      .get<{ requests: RequestEvent[] }>('/ui/api/requests?limit=200')
      .then(result =>
        setEvents(current => {
          const known = new Set(current.map(event => event.id));
          return [...current, ...result.requests.filter(event => !known.has(event.id))].slice(
            0,
            maximumRows,
          );
        }),
      )
      .catch(setError);
    const source = new EventSource('/ui/api/events');
    source.addEventListener('ready', () => !closed && setConnected(true));
    source.addEventListener('request', message => {
      const event = JSON.parse((message as MessageEvent<string>).data) as RequestEvent;
      setEvents(current =>
        [event, ...current.filter(existing => existing.id !== event.id)].slice(0, maximumRows),
      );
    });
    source.onerror = () => setConnected(false);
    return () => {
      closed = true;
      source.close();
    };
  }, []);

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return events.filter(event => {
      if (onlyErrors && event.status < 400 && !event.errorType) return false;
      if (!needle) return true;
      return [
        event.routeReason,
        event.servedBy,
        event.routedTo,
        event.requestedModel,
        event.projectId,
        event.agentId,
        String(event.status),
        event.id,
      ]
        .filter(Boolean)
        .some(value => value!.toLowerCase().includes(needle));
    });
  }, [events, filter, onlyErrors]);

  return (
    <div class={selected ? 'with-detail' : ''}>
      <div class="toolbar">
        <h1>Requests</h1>
        <span class={`live ${connected ? 'live-on' : ''}`} role="status">
          {connected ? 'Live' : 'Connecting…'}
        </span>
      </div>
      <ErrorNote error={error} />
      <div class="filters">
        <label>
          Filter
          <input
            type="search"
            value={filter}
            placeholder="model, provider, reason, project, status…"
            onInput={event => setFilter(event.currentTarget.value)}
          />
        </label>
        <label class="checkbox">
          <input
            type="checkbox"
            checked={onlyErrors}
            onChange={event => setOnlyErrors(event.currentTarget.checked)}
          />
          Errors only
        </label>
      </div>
      <div class="split">
        <div class="table-scroll">
          <table class="table" id="request-log">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Reason</th>
                <th scope="col">Served by</th>
                <th scope="col">Requested</th>
                <NumericHeaders labels={['Tokens in / out', 'Cost', 'TTFB', 'Latency']} />
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {shown.length === 0 ? (
                <tr>
                  <td colSpan={9} class="muted">
                    No requests yet. They appear here as they finish.
                  </td>
                </tr>
              ) : (
                shown.map(event => (
                  <tr
                    key={event.id}
                    data-request-id={event.id}
                    class={`clickable ${selected?.id === event.id ? 'selected' : ''}`}
                    tabIndex={0}
                    aria-label={`Request ${event.id}, open details`}
                    onClick={() => setSelected(event)}
                    onKeyDown={keyEvent => {
                      if (keyEvent.key === 'Enter' || keyEvent.key === ' ') {
                        keyEvent.preventDefault();
                        setSelected(event);
                      }
                    }}
                  >
                    <td>{formatTime(event.startedAt)}</td>
                    <td>{event.routeReason ?? '—'}</td>
                    <td>
                      {event.servedBy ?? event.routedTo ?? '—'}
                      {event.fellBack ? <span class="badge badge-warn"> fallback</span> : null}
                    </td>
                    <td>{event.requestedModel ?? '—'}</td>
                    <td class="num">
                      {formatCount(event.inputTokens)} / {formatCount(event.outputTokens)}
                    </td>
                    <td class="num">{formatCost(event.costUsd)}</td>
                    <td class="num">{formatMs(event.ttfbMs)}</td>
                    <td class="num">{formatMs(event.latencyMs)}</td>
                    <td>
                      <StatusBadge status={event.status} errorType={event.errorType} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        {selected ? <RequestDetail event={selected} onClose={() => setSelected(null)} /> : null}
      </div>
    </div>
  );
}
