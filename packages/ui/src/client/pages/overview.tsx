/** Overview: totals, charts over time and breakdowns for 1h / 1d / 7d / 30d. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import { type ChartSeries, TimeChart } from '../components/chart';
import { ErrorNote, NumericHeaders, Panel, Stat } from '../components/ui-kit';
import { formatCost, formatCount, formatMs, formatPercent } from '../format';
import type { BreakdownEntry, Dimension, Overview } from '../types';

const ranges = [
  ['1h', 'Last hour'],
  ['1d', 'Last day'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
] as const;

const dimensionTitles: Record<Dimension, string> = {
  model: 'By model',
  provider: 'By provider',
  routeReason: 'By route reason',
  project: 'By project',
  agent: 'By agent',
};

/** Every bucket of the range, so quiet periods show as zero rather than as a straight line. */
function fillBuckets(overview: Overview) {
  const bucket = overview.bucketMs;
  const first = Math.floor(Date.parse(overview.since) / bucket) * bucket;
  const last = Math.floor((Date.parse(overview.until) - 1) / bucket) * bucket;
  const byStart = new Map(overview.series.map(point => [point.start, point]));
  const times: number[] = [];
  for (let start = first; start <= last; start += bucket) times.push(start);
  return { times, points: times.map(start => byStart.get(start)) };
}

function BreakdownTable(props: { by: Dimension; entries: BreakdownEntry[] | undefined }) {
  return (
    <Panel title={dimensionTitles[props.by]}>
      {props.entries === undefined ? (
        <p class="muted">Loading…</p>
      ) : props.entries.length === 0 ? (
        <p class="muted">No requests in this range.</p>
      ) : (
        <table class="table" data-breakdown={props.by}>
          <thead>
            <tr>
              <th scope="col">{props.by === 'routeReason' ? 'reason' : props.by}</th>
              <NumericHeaders labels={['Requests', 'Tokens in / out', 'Cost', 'Errors', 'p95']} />
            </tr>
          </thead>
          <tbody>
            {props.entries.slice(0, 12).map(entry => (
              <tr
                key={entry.key ?? '(none)'}
                data-key={entry.key ?? ''}
                data-requests={entry.requests}
              >
                <th scope="row">{entry.key ?? <span class="muted">(none)</span>}</th>
                <td class="num">{formatCount(entry.requests)}</td>
                <td class="num">
                  {formatCount(entry.inputTokens)} / {formatCount(entry.outputTokens)}
                </td>
                <td class="num">{formatCost(entry.costUsd)}</td>
                <td class="num">{formatPercent(entry.errorRate)}</td>
                <td class="num">{formatMs(entry.latencyMs.p95)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

export function OverviewPage() {
  const [range, setRange] = useState<string>(() => sessionStorage.getItem('conduit.range') ?? '1d');
  const [overview, setOverview] = useState<Overview | null>(null);
  const [breakdowns, setBreakdowns] = useState<Partial<Record<Dimension, BreakdownEntry[]>>>({});
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    sessionStorage.setItem('conduit.range', range);
    // Totals and charts first (the first paint); the breakdowns follow, one request each.
    const load = () =>
      api
        .get<Overview>(`/ui/api/overview?range=${range}`)
        .then(result => {
          if (cancelled) return;
          setOverview(result);
          setError(null);
          for (const by of Object.keys(dimensionTitles) as Dimension[]) {
            api
              .get<{ entries: BreakdownEntry[] }>(`/ui/api/breakdown?range=${range}&by=${by}`)
              .then(
                answer =>
                  !cancelled && setBreakdowns(current => ({ ...current, [by]: answer.entries })),
              )
              .catch(failure => !cancelled && setError(failure));
          }
        })
        .catch(failure => !cancelled && setError(failure));
    load();
    const timer = setInterval(load, 30_000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [range]);

  const charts = useMemo(() => {
    if (!overview) return null;
    const { times, points } = fillBuckets(overview);
    const pick = (
      read: (point: NonNullable<(typeof points)[number]>) => number | null,
      empty: number | null = 0,
    ) => points.map(point => (point ? read(point) : empty));
    const count = (value: number | null) => (value === null ? '—' : formatCount(value));
    const series = (
      label: string,
      colorVariable: string,
      values: Array<number | null>,
      format: ChartSeries['format'],
    ): ChartSeries => ({
      label,
      colorVariable,
      values,
      format,
    });
    return {
      times,
      requests: [
        series(
          'Requests',
          '--c1',
          pick(p => p.requests),
          count,
        ),
        series(
          'Errors',
          '--c4',
          pick(p => p.errors),
          count,
        ),
      ],
      tokens: [
        series(
          'Input',
          '--c1',
          pick(p => p.inputTokens),
          count,
        ),
        series(
          'Output',
          '--c2',
          pick(p => p.outputTokens),
          count,
        ),
        series(
          'Cache read',
          '--c3',
          pick(p => p.cacheReadTokens),
          count,
        ),
        series(
          'Cache write',
          '--c5',
          pick(p => p.cacheWriteTokens),
          count,
        ),
      ],
      cost: [
        series(
          'Cost (USD)',
          '--c2',
          pick(p => p.costUsd),
          value => formatCost(value),
        ),
      ],
      errorRate: [
        series(
          'Error rate',
          '--c4',
          pick(p => p.errorRate, null),
          value => (value === null ? '—' : formatPercent(value)),
        ),
      ],
      latency: [
        series(
          'p50',
          '--c1',
          pick(p => p.latencyMs.p50, null),
          formatMs,
        ),
        series(
          'p95',
          '--c3',
          pick(p => p.latencyMs.p95, null),
          formatMs,
        ),
      ],
    };
  }, [overview]);

  const totals = overview?.totals;
  const withDate = range === '7d' || range === '30d';
  return (
    <div>
      <div class="toolbar">
        <h1>Overview</h1>
        <fieldset class="segmented" aria-label="Time range">
          <legend class="visually-hidden">Time range</legend>
          {ranges.map(([value, label]) => (
            <label key={value} class={range === value ? 'selected' : ''}>
              <input
                type="radio"
                name="range"
                value={value}
                checked={range === value}
                onChange={() => setRange(value)}
              />
              {label}
            </label>
          ))}
        </fieldset>
      </div>
      <ErrorNote error={error} />
      {totals ? (
        <section class="stats" aria-label="Totals">
          <Stat
            id="requests"
            label="Requests"
            value={formatCount(totals.requests)}
            raw={totals.requests}
          />
          <Stat
            id="inputTokens"
            label="Input tokens"
            value={formatCount(totals.inputTokens)}
            raw={totals.inputTokens}
          />
          <Stat
            id="outputTokens"
            label="Output tokens"
            value={formatCount(totals.outputTokens)}
            raw={totals.outputTokens}
          />
          <Stat
            id="cacheTokens"
            label="Cache read / write"
            value={`${formatCount(totals.cacheReadTokens)} / ${formatCount(totals.cacheWriteTokens)}`}
            raw={totals.cacheReadTokens + totals.cacheWriteTokens}
          />
          <Stat
            id="costUsd"
            label="Cost"
            value={formatCost(totals.costUsd)}
            raw={totals.costUsd}
            detail={
              totals.unpricedRequests > 0 ? `${totals.unpricedRequests} without a price` : undefined
            }
          />
          <Stat
            id="errorRate"
            label="Error rate"
            value={formatPercent(totals.errorRate)}
            raw={totals.errorRate}
          />
          <Stat
            id="latency"
            label="Latency p50 / p95"
            value={`${formatMs(totals.latencyMs.p50)} / ${formatMs(totals.latencyMs.p95)}`}
            raw={totals.latencyMs.p95}
          />
        </section>
      ) : (
        !error && <p class="muted">Loading…</p>
      )}
      {charts ? (
        <div class="charts">
          <TimeChart
            id="chart-requests"
            title="Requests and errors"
            times={charts.times}
            series={charts.requests}
            withDate={withDate}
          />
          <TimeChart
            id="chart-tokens"
            title="Tokens"
            times={charts.times}
            series={charts.tokens}
            withDate={withDate}
          />
          <TimeChart
            id="chart-cost"
            title="Cost"
            times={charts.times}
            series={charts.cost}
            withDate={withDate}
          />
          <TimeChart
            id="chart-latency"
            title="Latency"
            times={charts.times}
            series={charts.latency}
            withDate={withDate}
          />
          <TimeChart
            id="chart-error-rate"
            title="Error rate"
            times={charts.times}
            series={charts.errorRate}
            withDate={withDate}
          />
        </div>
      ) : null}
      {overview ? (
        <div class="grid-2">
          {(Object.keys(dimensionTitles) as Dimension[]).map(by => (
            <BreakdownTable key={by} by={by} entries={breakdowns[by]} />
          ))}
        </div>
      ) : null}
    </div>
  );
}
