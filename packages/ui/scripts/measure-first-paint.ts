/**
 * Measures the dashboard's first meaningful paint with a large ledger: fills a SQLite ledger with
 * 100,000 rows spread over 30 days, starts a gateway with the UI, times the overview API for each
 * range, then loads /ui/ in headless Chromium and times until the totals are on screen.
 *
 *   node --conditions=@conduit/source --import tsx packages/ui/scripts/measure-first-paint.ts [rows]
 *
 * Needs the client built (pnpm --filter @conduit/ui build:client) and /usr/bin/chromium.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQLiteUsageStore, type UsageRecord } from '@conduit/monitoring';
import { chromium } from 'playwright-core';
import { chromiumLaunchArgs, chromiumPath } from '../test/chromium.js';
import { createServerWithUI } from '../test/ui-test-gateway.js';

/** When the totals and a drawn chart were first in the DOM, in the page's clock. */
interface FirstPaintMarks {
  totalsAt?: number;
  shownAt?: number;
}

declare global {
  interface Window {
    /** Set by this script's init script in the measured page. */
    conduitFirstPaint?: FirstPaintMarks;
  }
}

const rows = Number(process.argv[2] ?? 100_000);
const home = await mkdtemp(join(tmpdir(), 'conduit-ui-measure-'));
const now = Date.now();
const span = 30 * 86_400_000;
const targets = [
  ['alpha', 'alpha-model'],
  ['beta', 'beta-model'],
  ['beta', 'beta-large'],
] as const;
const reasons = ['default', 'think', 'background', 'longContext', 'explicit'];

const store = new SQLiteUsageStore({ path: join(home, 'usage.db') });
let started = performance.now();
for (let offset = 0; offset < rows; offset += 5000) {
  const batch: UsageRecord[] = [];
  for (let index = offset; index < Math.min(offset + 5000, rows); index++) {
    const [provider, model] = targets[index % targets.length]!;
    batch.push({
      id: `row-${index}`,
      timestamp: new Date(now - Math.floor((index / rows) * span)),
      projectId: `project-${index % 7}`,
      agentId: `agent-${index % 11}`,
      sessionId: null,
      provider,
      model,
      routeReason: reasons[index % reasons.length]!,
      inputTokens: 500 + (index % 900),
      outputTokens: 50 + (index % 300),
      cacheReadTokens: index % 3 === 0 ? 2000 : 0,
      cacheWriteTokens: 0,
      usageEstimated: false,
      costUsd: (index % 50) / 10_000,
      latencyMs: 200 + (index % 1700),
      ttfbMs: 80 + (index % 400),
      upstreamMs: 190 + (index % 1600),
      status: index % 41 === 0 ? 529 : 200,
      errorType: index % 41 === 0 ? 'overloaded_error' : null,
      streamed: index % 2 === 0,
    });
  }
  await store.insertBatch(batch);
}
await store.close();
console.log(`ledger: ${rows} rows written in ${Math.round(performance.now() - started)} ms`);

const configPath = join(home, 'config.json');
await writeFile(
  configPath,
  JSON.stringify({
    Providers: [
      {
        name: 'alpha',
        api_base_url: 'http://127.0.0.1:9/v1/chat/completions',
        api_key: 'sk-a-123456',
        models: ['alpha-model'],
      },
      {
        name: 'beta',
        api_base_url: 'http://127.0.0.1:9/v1/chat/completions',
        api_key: 'sk-b-123456',
        models: ['beta-model', 'beta-large'],
      },
    ],
    Router: { default: 'alpha,alpha-model' },
  }),
);
const { server } = createServerWithUI(
  JSON.parse(await (await import('node:fs/promises')).readFile(configPath, 'utf8')),
  { configPath, home },
);
const { url } = await server.start({ port: 0, host: '127.0.0.1' });
try {
  for (const range of ['1h', '1d', '7d', '30d', '30d']) {
    started = performance.now();
    const response = await fetch(`${url}/ui/api/overview?range=${range}`);
    const body = (await response.json()) as { totals: { requests: number }; series: unknown[] };
    console.log(
      `GET /ui/api/overview?range=${range}: ${Math.round(performance.now() - started)} ms (${body.totals.requests} requests, ${body.series.length} buckets)`,
    );
  }
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumLaunchArgs });
  try {
    // A first load warms Chromium up (process start, font cache): what is measured is the UI.
    const warm = await browser.newPage();
    await warm.goto(`${url}/ui/#/providers`);
    await warm.locator('h1').waitFor();
    await warm.close();
    for (const range of ['1d', '30d']) {
      const context = await browser.newContext();
      await context.addInitScript(value => sessionStorage.setItem('conduit.range', value), range);
      // Records, in the page's own clock, when the totals and a drawn chart are first in the DOM.
      await context.addInitScript(() => {
        const marks: FirstPaintMarks = {};
        window.conduitFirstPaint = marks;
        const observer = new MutationObserver(() => {
          if (marks.totalsAt === undefined && document.querySelector('[data-stat="requests"]')) {
            marks.totalsAt = performance.now();
          }
          if (
            document.querySelector('[data-stat="requests"]') &&
            document.querySelector('.chart canvas')
          ) {
            marks.shownAt = performance.now();
            observer.disconnect();
          }
        });
        observer.observe(document, { childList: true, subtree: true });
      });
      const page = await context.newPage();
      page.on('response', response =>
        console.log(
          `  ${Math.round(performance.now() - started)} ms: ${response.status()} ${new URL(response.url()).pathname}`,
        ),
      );
      started = performance.now();
      await page.goto(`${url}/ui/#/overview`);
      await page.locator('[data-stat="requests"]').waitFor();
      await page.locator('.chart canvas').first().waitFor();
      const elapsed = Math.round(performance.now() - started);
      const { totalsAt, shownAt } = await page.evaluate(() => {
        const marks = window.conduitFirstPaint;
        return { totalsAt: marks?.totalsAt ?? Number.NaN, shownAt: marks?.shownAt ?? Number.NaN };
      });
      const paints = await page.evaluate(() =>
        performance
          .getEntriesByType('paint')
          .map(entry => `${entry.name} ${Math.round(entry.startTime)} ms`),
      );
      console.log(
        `first meaningful paint (${range}): totals in the DOM ${Math.round(totalsAt)} ms, with the charts drawn ${Math.round(shownAt)} ms after navigation start (page clock; ${paints.join(', ')}); Playwright saw them after ${elapsed} ms`,
      );
      await context.close();
    }
  } finally {
    await browser.close();
  }
} finally {
  await server.stop({ timeoutMs: 1000 });
  await rm(home, { recursive: true, force: true });
}
