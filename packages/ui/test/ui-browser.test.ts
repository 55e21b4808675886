/**
 * The UI in a real headless Chromium (Debian's `chromium`, driven by playwright-core) against a
 * real gateway with mock providers. Takes a screenshot of every page: into a temporary folder, or
 * into docs/images/ui-*.png (the README's pictures) with CONDUIT_UPDATE_SCREENSHOTS=1, so a test
 * run does not rewrite tracked files.
 * Skips with a message when chromium is missing, except under CI=true, where that is a failure.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { chromiumLaunchArgs, chromiumPath } from './chromium.js';
import {
  authenticatedUIRoutes,
  startUITestGateway,
  type UITestGateway,
} from './ui-test-gateway.js';

const available = existsSync(chromiumPath);
const imagesDirectory =
  process.env.CONDUIT_UPDATE_SCREENSHOTS === '1'
    ? path.resolve(import.meta.dirname, '../../../docs/images')
    : path.join(tmpdir(), `conduit-ui-screenshots-${process.pid}`);
afterAll(async () => {
  if (process.env.CONDUIT_UPDATE_SCREENSHOTS !== '1') {
    await rm(imagesDirectory, { recursive: true, force: true });
  }
});

if (!available && process.env.CI === 'true') {
  throw new Error(
    `${chromiumPath} is missing: CI must run the UI browser test (install it with scripts/install-chromium.sh).`,
  );
}
if (!available) {
  console.warn(
    `skipping the UI browser test: no Chromium at ${chromiumPath} (apt-get install -y chromium, or set CONDUIT_CHROMIUM_PATH)`,
  );
}
const describeWithBrowser = available ? describe : describe.skip;

async function openBrowser(profiles: string[]): Promise<BrowserContext> {
  const profile = await mkdtemp(path.join(tmpdir(), 'conduit-ui-chromium-'));
  profiles.push(profile);
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumLaunchArgs,
    viewport: { width: 1360, height: 900 },
    colorScheme: 'light',
    timeout: 30_000,
  });
}

function sendWithHost(baseURL: string, path: string, host: string): Promise<number> {
  const url = new URL(path, baseURL);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, headers: { host } },
      response => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(imagesDirectory, { recursive: true });
  await page.screenshot({ path: path.join(imagesDirectory, `ui-${name}.png`), fullPage: false });
}

const ask = (client: Anthropic, model: string, project: string, agent: string, text: string) =>
  client.messages.create(
    { model, max_tokens: 30, messages: [{ role: 'user', content: text }] },
    { headers: { 'x-project': project, 'x-agent': agent } },
  );

describeWithBrowser('the UI in Chromium', () => {
  const profiles: string[] = [];
  let gateway: UITestGateway;
  let client: Anthropic;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    gateway = await startUITestGateway({
      extraConfig: `
  plugins: [{ name: "request-metadata-tagger", config: { headers: { "x-project": "projectId", "x-agent": "agentId" } } }],
  synapse: { budgets: { projects: { "web-app": { daily: 0.002, monthly: 0.05 } }, agent: { daily: 0.001 } } },`,
    });
    client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
    const traffic: Array<[string, string, string]> = [
      ['claude-test-model', 'web-app', 'planner'],
      ['claude-test-model', 'web-app', 'coder'],
      ['claude-test-model', 'web-app', 'coder'],
      ['beta,beta-large', 'web-app', 'reviewer'],
      ['beta,beta-model', 'data-pipeline', 'coder'],
      ['claude-test-model', 'data-pipeline', 'planner'],
      ['beta,beta-large', 'data-pipeline', 'reviewer'],
      ['claude-test-model', 'web-app', 'coder'],
    ];
    for (const [index, [model, project, agent]] of traffic.entries()) {
      await ask(client, model, project, agent, `request ${index}`);
    }
    browser = await openBrowser(profiles);
    page = browser.pages()[0] ?? (await browser.newPage());
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await Promise.all(profiles.map(profile => rm(profile, { recursive: true, force: true })));
  });

  it('overview totals and chart series equal the ledger', async () => {
    await page.goto(`${gateway.baseURL}/ui/#/overview`);
    await page.getByLabel('Last hour').check();
    await page.locator('[data-stat="requests"][data-value="8"]').waitFor();
    const rows = await gateway.usageTracker!.listRecords({});
    expect(rows).toHaveLength(8);
    const stat = async (id: string) =>
      Number(await page.locator(`[data-stat="${id}"]`).getAttribute('data-value'));
    expect(await stat('requests')).toBe(rows.length);
    expect(await stat('inputTokens')).toBe(rows.reduce((sum, row) => sum + row.inputTokens, 0));
    expect(await stat('outputTokens')).toBe(rows.reduce((sum, row) => sum + row.outputTokens, 0));
    expect(await stat('costUsd')).toBeCloseTo(
      rows.reduce((sum, row) => sum + (row.costUsd ?? 0), 0),
      12,
    );

    // The chart's series, read from its data table: per-minute request counts and tokens.
    const expected = new Map<number, { requests: number; input: number }>();
    for (const row of rows) {
      const bucket = Math.floor(row.timestamp.getTime() / 60_000) * 60_000;
      const entry = expected.get(bucket) ?? { requests: 0, input: 0 };
      entry.requests += 1;
      entry.input += row.inputTokens;
      expected.set(bucket, entry);
    }
    expect(await page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(5);
    await screenshot(page, 'overview');
    for (const summary of await page.getByText('Data table').all()) await summary.click();
    const readSeries = (chart: string, column: number) =>
      page
        .locator(`table[data-chart="${chart}"] tbody tr`)
        .evaluateAll(
          (trs, index) =>
            trs
              .map(tr => [
                Number(tr.getAttribute('data-start')),
                Number(tr.querySelectorAll('td')[index]!.getAttribute('data-value')),
              ])
              .filter(([, value]) => (value ?? 0) > 0),
          column,
        );
    expect(Object.fromEntries(await readSeries('chart-requests', 0))).toEqual(
      Object.fromEntries([...expected].map(([bucket, entry]) => [bucket, entry.requests])),
    );
    expect(Object.fromEntries(await readSeries('chart-tokens', 0))).toEqual(
      Object.fromEntries([...expected].map(([bucket, entry]) => [bucket, entry.input])),
    );
    await expect(
      page
        .locator('[data-breakdown="project"] tr[data-key="web-app"]')
        .getAttribute('data-requests'),
    ).resolves.toBe('5');
  });

  it('shows a new request in the live log within 1 s, and opens its routing and timing', async () => {
    await page.goto(`${gateway.baseURL}/ui/#/requests`);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    const message = await ask(client, 'claude-test-model', 'web-app', 'coder', 'live one');
    const row = page.locator('#request-log tr[data-request-id]').first();
    // A functional deadline, not a performance assertion: the log is pushed, not polled.
    await expect(
      page.waitForFunction(
        tokens =>
          document
            .querySelector('#request-log tr[data-request-id]')
            ?.textContent?.includes(`${tokens} /`),
        message.usage.input_tokens,
        { timeout: 1000 },
      ),
    ).resolves.toBeTruthy();
    expect(await page.locator('#request-log tr[data-request-id]').count()).toBe(9);
    await row.focus();
    await page.keyboard.press('Enter');
    const detail = page.getByRole('complementary', { name: 'Request detail' });
    await expect(detail.textContent()).resolves.toContain('alpha,alpha-model');
    await expect(detail.textContent()).resolves.toContain('Time to first byte');
    await screenshot(page, 'requests');
  });

  it('explains a pasted request rule by rule', async () => {
    await page.goto(`${gateway.baseURL}/ui/#/routing`);
    await page.getByLabel('Messages API request body (JSON)').fill(
      JSON.stringify(
        {
          model: 'claude-test-model',
          max_tokens: 100,
          thinking: { type: 'enabled', budget_tokens: 50 },
          messages: [{ role: 'user', content: 'Plan the migration' }],
        },
        null,
        2,
      ),
    );
    await page.getByRole('button', { name: 'Explain' }).click();
    const explanation = page.locator('#explanation');
    await explanation.waitFor();
    await expect(explanation.textContent()).resolves.toContain('alpha,alpha-model');
    expect(await page.locator('#explanation .steps li').count()).toBeGreaterThan(3);
    await screenshot(page, 'routing');
  });

  it('shows providers with circuits and last-hour latency', async () => {
    await page.goto(`${gateway.baseURL}/ui/#/providers`);
    await page.getByRole('region', { name: 'alpha' }).waitFor();
    await expect(page.getByRole('region', { name: 'beta' }).textContent()).resolves.toContain(
      'beta-large',
    );
    await screenshot(page, 'providers');
  });

  it('shows spend against the Synapse budgets', async () => {
    await page.goto(`${gateway.baseURL}/ui/#/budgets`);
    await page.locator('table.table tbody tr').first().waitFor();
    await expect(page.locator('table.table').textContent()).resolves.toContain('web-app');
    await screenshot(page, 'budgets');
  });

  it('an invalid edit shows the validator’s message and leaves the file byte-for-byte unchanged', async () => {
    const before = await readFile(gateway.configPath);
    await page.goto(`${gateway.baseURL}/ui/#/config`);
    const editor = page.getByLabel('Config file (JSON5)');
    await page.waitForFunction(() =>
      (document.querySelector('#config-text') as HTMLTextAreaElement | null)?.value.includes(
        'default: "alpha,alpha-model"',
      ),
    );
    expect(await editor.inputValue()).not.toContain('sk-alpha-literal-secret-123');
    const text = await editor.inputValue();
    await editor.fill(text.replace('default: "alpha,alpha-model"', 'default: "nowhere,nothing"'));
    const issues = page.locator('#config-issues');
    await issues.waitFor();
    await expect(issues.textContent()).resolves.toMatch(/Router\.default.*nowhere/);
    expect(await page.locator('#save-config').isDisabled()).toBe(true);
    await editor.press('Control+s');
    await screenshot(page, 'config-invalid');
    expect((await readFile(gateway.configPath)).equals(before)).toBe(true);
  });

  it('saving a changed Router.default changes where the next request goes', async () => {
    await page.goto(`${gateway.baseURL}/ui/#/config`);
    await page.reload();
    const select = page.locator('#router-default');
    await select.waitFor();
    await select.selectOption('beta,beta-model');
    await page
      .locator('#config-status')
      .filter({ hasText: /^Valid/ })
      .waitFor();
    await expect(page.getByLabel('Config file (JSON5)').inputValue()).resolves.toContain(
      '"default": "beta,beta-model"',
    );
    await screenshot(page, 'config');
    await page.locator('#save-config').click();
    await page.locator('#config-status').filter({ hasText: 'Saved' }).waitFor();
    const written = await readFile(gateway.configPath, 'utf8');
    expect(written).toContain('"api_key": "sk-alpha-literal-secret-123"');
    expect(written).toContain('"api_key": "$UI_TEST_BETA_KEY"');
    gateway.beta.reset();
    gateway.alpha.reset();
    await ask(client, 'claude-test-model', 'web-app', 'coder', 'after the save');
    expect(gateway.alpha.requests).toHaveLength(0);
    expect((gateway.beta.requests[0]!.json as { model: string }).model).toBe('beta-model');
  });

  it('follows the OS colour scheme (dark)', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    try {
      await page.goto(`${gateway.baseURL}/ui/#/overview`);
      await page.getByLabel('Last hour').check();
      await page.locator('[data-stat="requests"]').waitFor();
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe('rgb(19, 21, 24)');
      await page.locator('.chart canvas').first().waitFor();
      await screenshot(page, 'overview-dark');
    } finally {
      await page.emulateMedia({ colorScheme: 'light' });
    }
  });

  it('refuses a foreign Host', async () => {
    expect(await sendWithHost(gateway.baseURL, '/ui/', 'rebind.attacker.example')).toBe(403);
    expect(
      await sendWithHost(gateway.baseURL, '/ui/api/overview', 'rebind.attacker.example:80'),
    ).toBe(403);
    expect(
      await sendWithHost(gateway.baseURL, '/ui/', `127.0.0.1:${new URL(gateway.baseURL).port}`),
    ).toBe(200);
  });
});

describeWithBrowser('the UI in Chromium with APIKEY set', () => {
  const profiles: string[] = [];
  const apiKey = 'browser-test-inbound-key';
  let gateway: UITestGateway;
  let browser: BrowserContext;

  beforeAll(async () => {
    gateway = await startUITestGateway({ extraConfig: `\n  APIKEY: "${apiKey}",` });
    browser = await openBrowser(profiles);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await Promise.all(profiles.map(profile => rm(profile, { recursive: true, force: true })));
  });

  it('answers 401 on every UI route and API without the session; the login page exchanges the key for a cookie', async () => {
    for (const [method, route] of authenticatedUIRoutes) {
      const response = await fetch(`${gateway.baseURL}${route}`, { method });
      expect([method, route, response.status]).toEqual([method, route, 401]);
    }
    const page = browser.pages()[0] ?? (await browser.newPage());
    const response = await page.goto(`${gateway.baseURL}/ui/`);
    expect(response?.status()).toBe(401);
    await screenshot(page, 'login');
    await page.getByLabel('API key').fill('wrong-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-stat="requests"]').waitFor();
    expect(page.url()).toBe(`${gateway.baseURL}/ui/`);
    const cookies = await browser.cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({
      name: 'conduit_ui_session',
      httpOnly: true,
      sameSite: 'Strict',
    });
    expect(cookies[0]!.value).not.toContain(apiKey);
    expect(await page.evaluate(() => JSON.stringify(localStorage) + document.cookie)).not.toContain(
      apiKey,
    );
  });
});
