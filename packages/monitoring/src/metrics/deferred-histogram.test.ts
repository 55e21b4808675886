import { describe, expect, it } from '@jest/globals';
import { Histogram, Registry } from 'prom-client';
import { DeferredHistogram } from './deferred-histogram.js';

const buckets = [0.001, 0.01, 0.1, 1];

/** A deferred histogram and a plain prom-client one, fed the same observations. */
function pair() {
  const deferred = new DeferredHistogram<'provider' | 'model'>(buckets);
  const deferredRegistry = new Registry();
  const flushed = new Histogram({
    name: 'latency_seconds',
    help: 'h',
    labelNames: ['provider', 'model'],
    buckets,
    registers: [deferredRegistry],
    collect() {
      deferred.flushInto(this);
    },
  });
  const resetFlushed = flushed.reset.bind(flushed);
  flushed.reset = () => {
    deferred.discard();
    resetFlushed();
  };
  const directRegistry = new Registry();
  const direct = new Histogram({
    name: 'latency_seconds',
    help: 'h',
    labelNames: ['provider', 'model'],
    buckets,
    registers: [directRegistry],
  });
  return { deferred, deferredRegistry, direct, directRegistry };
}

/**
 * The exposition with its series in a fixed order (the order label sets first appear may differ)
 * and values to 12 digits (sums added in another order differ in the last bits).
 */
async function exposition(registry: Registry): Promise<string[]> {
  return (await registry.metrics())
    .split('\n')
    .map(line =>
      line.replace(/ ([0-9.e+-]+)$/, (_, value: string) => ` ${Number(value).toPrecision(12)}`),
    )
    .sort();
}

describe('DeferredHistogram', () => {
  it('exports what prom-client exports for the same observations, at every scrape', async () => {
    const { deferred, deferredRegistry, direct, directRegistry } = pair();
    const a = { provider: 'a', model: 'x' };
    const b = { provider: 'b', model: 'y' };
    const children = [deferred.labels(a), deferred.labels(b), deferred.labels(a)];
    const labels = [a, b, a];
    // At a bound, between bounds, above every bound, zero.
    const values = [0.001, 0.0005, 0.05, 0.1, 2, 0, 0.3, 1, 7.5, 0.01];
    for (let round = 0; round < 3; round++) {
      values.forEach((value, index) => {
        const slot = (index + round) % children.length;
        children[slot]!.observe(value);
        direct.observe(labels[slot]!, value);
      });
      expect(await exposition(deferredRegistry)).toEqual(await exposition(directRegistry));
    }
    // Nothing new: the same totals, not added twice.
    expect(await exposition(deferredRegistry)).toEqual(await exposition(directRegistry));
    // Histogram samples carry the series name (`_bucket`, `_sum`, `_count`) beside their labels.
    type Sample = { metricName?: string; labels: object; value: number };
    const samplesOf = async (registry: Registry): Promise<Sample[]> =>
      (await registry.getMetricsAsJSON())[0]!.values as Sample[];
    const deferredSamples = await samplesOf(deferredRegistry);
    const directSamples = await samplesOf(directRegistry);
    expect(deferredSamples.length).toBe(directSamples.length);
    for (const sample of directSamples) {
      const match = deferredSamples.find(
        other =>
          other.metricName === sample.metricName &&
          JSON.stringify(other.labels) === JSON.stringify(sample.labels),
      );
      expect(match?.value).toBeCloseTo(sample.value, 9);
    }
  });

  it('leaves label sets never observed out, and forgets pending observations on reset', async () => {
    const { deferred, deferredRegistry } = pair();
    const seen = deferred.labels({ provider: 'a', model: 'x' });
    deferred.labels({ provider: 'never', model: 'observed' });
    seen.observe(0.5);
    seen.observe(0.5);
    await deferredRegistry.metrics();
    seen.observe(0.5);
    deferredRegistry.resetMetrics();
    seen.observe(0.05);
    const text = await deferredRegistry.metrics();
    expect(text).not.toContain('never');
    expect(text).toContain('latency_seconds_count{provider="a",model="x"} 1');
    expect(text).toContain('latency_seconds_sum{provider="a",model="x"} 0.05');
  });

  it('rejects values that are not finite numbers, as prom-client does', () => {
    const child = new DeferredHistogram<'provider'>(buckets).labels({ provider: 'a' });
    expect(() => child.observe(Number.NaN)).toThrow(TypeError);
    expect(() => child.observe(Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });
});
