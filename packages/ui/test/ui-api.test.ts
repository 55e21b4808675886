import { readdir, readFile } from 'node:fs/promises';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  authenticatedUIRoutes,
  initialConfigText,
  startUITestGateway,
  type UITestGateway,
} from './ui-test-gateway.js';

const loopback = { host: '127.0.0.1' };

describe('the UI API on a running gateway (no APIKEY)', () => {
  let gateway: UITestGateway;
  let client: Anthropic;
  const call = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    gateway.server.app.request(`http://127.0.0.1${path}`, {
      ...init,
      headers: {
        ...loopback,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
    });
  const json = async <T = Record<string, unknown>>(
    path: string,
    init?: RequestInit & { headers?: Record<string, string> },
  ) => {
    const response = await call(path, init);
    return { status: response.status, body: (await response.json()) as T, response };
  };

  beforeAll(async () => {
    gateway = await startUITestGateway();
    client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('refuses a non-loopback Host (DNS rebinding) on every UI path, and serves loopback names', async () => {
    for (const path of [
      '/ui/',
      '/ui/api/overview',
      '/ui/api/config',
      '/api/config',
      '/api/transformers',
    ]) {
      const refused = await call(path, { headers: { host: 'attacker.example:3456' } });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { type: string } }).error.type).toBe(
        'permission_error',
      );
    }
    for (const host of ['127.0.0.1:3456', 'localhost:3456', '[::1]:3456']) {
      expect((await call('/ui/api/session', { headers: { host } })).status).toBe(200);
    }
  });

  it('overview totals, series and breakdowns equal the ledger after real requests', async () => {
    for (let index = 0; index < 5; index++) {
      await client.messages.create({
        model: 'claude-test-model',
        max_tokens: 20,
        messages: [{ role: 'user', content: `hi ${index}` }],
      });
    }
    await client.messages.create({
      model: 'beta,beta-model',
      max_tokens: 20,
      messages: [{ role: 'user', content: 'explicit' }],
    });
    const { status, body } = await json<{
      totals: { requests: number; inputTokens: number; outputTokens: number; costUsd: number };
      series: Array<{ requests: number; inputTokens: number }>;
      bucketMs: number;
    }>('/ui/api/overview?range=1h');
    expect(status).toBe(200);
    const rows = await gateway.usageTracker!.listRecords({});
    expect(rows).toHaveLength(6);
    expect(body.totals.requests).toBe(6);
    expect(body.totals.inputTokens).toBe(rows.reduce((sum, row) => sum + row.inputTokens, 0));
    expect(body.totals.outputTokens).toBe(rows.reduce((sum, row) => sum + row.outputTokens, 0));
    expect(body.bucketMs).toBe(60_000);
    expect(body.series.reduce((sum, point) => sum + point.requests, 0)).toBe(6);
    expect(body.series.reduce((sum, point) => sum + point.inputTokens, 0)).toBe(
      body.totals.inputTokens,
    );
    type Breakdown = { entries: Array<{ key: string | null; requests: number }> };
    const breakdown = async (by: string) =>
      (await json<Breakdown>(`/ui/api/breakdown?range=1h&by=${by}`)).body.entries;
    expect((await breakdown('provider')).map(entry => [entry.key, entry.requests]).sort()).toEqual([
      ['alpha', 5],
      ['beta', 1],
    ]);
    expect((await breakdown('routeReason')).map(entry => entry.key).sort()).toEqual([
      'default',
      'explicit',
    ]);
    expect((await breakdown('model')).map(entry => entry.key).sort()).toEqual([
      'alpha,alpha-model',
      'beta,beta-model',
    ]);
  });

  it('answers 400 naming the field for a bad query, and serves series and breakdowns alone', async () => {
    const bad = await json<{ error: { message: string } }>('/ui/api/overview?range=2y');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('range');
    const series = await json<{ bucketMs: number; points: unknown[] }>(
      '/ui/api/series?range=1h&bucketMs=300000',
    );
    expect(series.body.bucketMs).toBe(300_000);
    const breakdown = await json<{ by: string; entries: unknown[] }>(
      '/ui/api/breakdown?range=1d&by=provider',
    );
    expect(breakdown.body.by).toBe('provider');
    expect((await json('/ui/api/breakdown?range=1d')).status).toBe(400);
  });

  it('lists recent requests and pushes new ones over SSE', async () => {
    const recent = await json<{
      requests: Array<{ id: string; servedBy: string; routeReason: string }>;
    }>('/ui/api/requests');
    expect(recent.body.requests.length).toBeGreaterThanOrEqual(6);
    expect(recent.body.requests[0]).toMatchObject({
      servedBy: 'beta,beta-model',
      routeReason: 'explicit',
    });

    const abort = new AbortController();
    const response = await fetch(`${gateway.baseURL}/ui/api/events`, { signal: abort.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: ready')) text += decoder.decode((await reader.read()).value);
    const sent = client.messages.create({
      model: 'claude-test-model',
      max_tokens: 20,
      messages: [{ role: 'user', content: 'live' }],
    });
    while (!text.includes('event: request')) text += decoder.decode((await reader.read()).value);
    const message = await sent;
    abort.abort();
    const data = /event: request\ndata: (.*)\n/.exec(text)![1]!;
    expect(JSON.parse(data)).toMatchObject({
      servedBy: 'alpha,alpha-model',
      status: 200,
      inputTokens: message.usage.input_tokens,
    });
  });

  it('explains a pasted request rule by rule without calling upstream', async () => {
    const before = gateway.alpha.requests.length + gateway.beta.requests.length;
    const { status, body } = await json<{
      decision: { provider: string; reason: string };
      steps: Array<{ rule: string; fired: boolean }>;
      tokenCount: number;
    }>('/ui/api/explain', {
      method: 'POST',
      body: JSON.stringify({
        body: { model: 'claude-x', max_tokens: 5, messages: [{ role: 'user', content: 'hello' }] },
      }),
    });
    expect(status).toBe(200);
    expect(body.decision).toMatchObject({ provider: 'alpha', reason: 'default' });
    expect(body.tokenCount).toBeGreaterThan(0);
    expect(body.steps.some(step => step.fired)).toBe(true);
    expect(gateway.alpha.requests.length + gateway.beta.requests.length).toBe(before);
    const invalid = await json<{ error: { message: string } }>('/ui/api/explain', {
      method: 'POST',
      body: JSON.stringify({ body: { model: 'x' } }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toContain('messages');
  });

  it('never sends a provider key to the browser: literal keys are redacted, $VAR references kept', async () => {
    const file = await json<{
      text: string;
      config: { Providers: Array<{ api_key: string }> };
      revision: string;
    }>('/ui/api/config');
    const everything =
      JSON.stringify(file.body) +
      JSON.stringify((await json('/api/config')).body) +
      JSON.stringify((await json('/ui/api/providers')).body);
    expect(everything).not.toContain('sk-alpha-literal-secret-123');
    expect(everything).not.toContain('sk-beta-from-environment-456');
    expect(file.body.text).toContain('$UI_TEST_BETA_KEY');
    expect(file.body.text).toContain('// Two mock providers');
    expect(file.body.config.Providers[0]!.api_key).toMatch(/^\[redacted:[0-9a-f]{12}\]$/);
  });

  it('rejects an invalid edit with the validator’s message and leaves the file byte-for-byte unchanged', async () => {
    const before = await readFile(gateway.configPath);
    const { body: file } = await json<{ text: string; revision: string }>('/ui/api/config');
    const broken = file.text.replace('default: "alpha,alpha-model"', 'default: "nowhere,nothing"');
    const validation = await json<{
      valid: boolean;
      issues: Array<{ path: string; message: string; hint?: string }>;
    }>('/ui/api/config/validate', {
      method: 'POST',
      body: JSON.stringify({ text: broken }),
    });
    expect(validation.body.valid).toBe(false);
    expect(validation.body.issues[0]!.path).toBe('Router.default');
    expect(validation.body.issues[0]!.hint).toBeTruthy();
    const saved = await json<{ saved: boolean; issues: unknown[] }>('/ui/api/config', {
      method: 'PUT',
      body: JSON.stringify({ text: broken, revision: file.revision }),
    });
    expect(saved.status).toBe(422);
    expect(saved.body.saved).toBe(false);
    const syntax = await json<{ valid: boolean; issues: Array<{ message: string }> }>(
      '/ui/api/config/validate',
      {
        method: 'POST',
        body: JSON.stringify({ text: '{ Providers: [ }' }),
      },
    );
    expect(syntax.body.issues[0]!.message).toMatch(/line 1/);
    const ccr = await json<{ success: boolean }>('/api/config', {
      method: 'POST',
      body: JSON.stringify({ Router: { default: 'x,y' } }),
    });
    expect(ccr.status).toBe(400);
    expect(ccr.body.success).toBe(false);
    expect((await readFile(gateway.configPath)).equals(before)).toBe(true);
  });

  it('refuses state changes from another origin, and never changes state on GET', async () => {
    const foreign = await call('/ui/api/config/validate', {
      method: 'POST',
      body: JSON.stringify({ text: '{}' }),
      headers: { origin: 'http://localhost:9999' },
    });
    expect(foreign.status).toBe(403);
    const crossSite = await call('/api/restart', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    const sameOrigin = await call('/ui/api/config/validate', {
      method: 'POST',
      body: JSON.stringify({ text: '{}' }),
      headers: { origin: 'http://127.0.0.1' },
    });
    expect(sameOrigin.status).toBe(200);
    expect((await call('/ui/api/config/validate')).status).toBe(404);
    expect((await call('/api/restart')).status).toBe(404);
  });

  it('saves a valid edit atomically with a backup, keeps comments and secrets, and the next request goes to the new target', async () => {
    const { body: file } = await json<{ text: string; revision: string }>('/ui/api/config');
    const edited = file.text.replace('default: "alpha,alpha-model"', 'default: "beta,beta-large"');
    const saved = await json<{ saved: boolean; reloaded: boolean; backup: string }>(
      '/ui/api/config',
      {
        method: 'PUT',
        body: JSON.stringify({ text: edited, revision: file.revision }),
      },
    );
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ saved: true, reloaded: true });
    const written = await readFile(gateway.configPath, 'utf8');
    expect(written).toBe(
      initialConfigText(gateway.alpha.endpoint, gateway.beta.endpoint).replace(
        'default: "alpha,alpha-model"',
        'default: "beta,beta-large"',
      ),
    );
    expect((await readdir(gateway.home)).filter(name => name.endsWith('.bak'))).toHaveLength(1);
    const stale = await json('/ui/api/config', {
      method: 'PUT',
      body: JSON.stringify({ text: edited, revision: file.revision }),
    });
    expect(stale.status).toBe(409);

    gateway.beta.reset();
    await client.messages.create({
      model: 'claude-test-model',
      max_tokens: 20,
      messages: [{ role: 'user', content: 'after save' }],
    });
    expect(gateway.beta.requests).toHaveLength(1);
    expect((gateway.beta.requests[0]!.json as { model: string }).model).toBe('beta-large');
    expect(gateway.beta.requests[0]!.headers.authorization).toBe(
      'Bearer sk-beta-from-environment-456',
    );
  });

  it('serves CCR’s endpoints with compatible shapes', async () => {
    const transformers = await json<{ transformers: Array<{ name: string; endpoint: null }> }>(
      '/api/transformers',
    );
    expect(transformers.body.transformers.map(item => item.name)).toEqual(
      expect.arrayContaining(['openrouter', 'deepseek']),
    );
    const config = await json<{ Providers: unknown[]; Router: { default: string } }>('/api/config');
    expect(config.body.Router.default).toBe('beta,beta-large');
    const restart = await json<{ success: boolean }>('/api/restart', { method: 'POST' });
    expect(restart.body.success).toBe(true);
    const backToAlpha = { ...config.body, Router: { default: 'alpha,alpha-model' } };
    const posted = await json<{ success: boolean; message: string }>('/api/config', {
      method: 'POST',
      body: JSON.stringify(backToAlpha),
    });
    expect(posted.body).toMatchObject({ success: true });
    const written = JSON.parse(await readFile(gateway.configPath, 'utf8')) as {
      Providers: Array<{ api_key: string }>;
    };
    expect(written.Providers[0]!.api_key).toBe('sk-alpha-literal-secret-123');
    expect(written.Providers[1]!.api_key).toBe('$UI_TEST_BETA_KEY');
    expect(gateway.server.config.Router.default).toBe('alpha,alpha-model');
  });

  it('shows providers with circuit states and last-hour stats, and no budgets without Synapse budgets', async () => {
    const providers = await json<{
      providers: Array<{ name: string; keys: number; lastHour: { requests: number } | null }>;
      health: { status: string };
    }>('/ui/api/providers');
    expect(providers.body.health.status).toBe('ok');
    expect(providers.body.providers.map(provider => provider.name)).toEqual(['alpha', 'beta']);
    expect(providers.body.providers[0]!.lastHour!.requests).toBeGreaterThan(0);
    expect((await json('/ui/api/circuits')).body).toHaveProperty('circuits');
    expect((await json('/ui/api/budgets')).body).toEqual({ configured: false, lines: [] });
  });

  it('serves the client with compression and cache headers', async () => {
    const page = await call('/ui/', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-encoding')).toBe('br');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await (await call('/ui/')).text();
    const script = /src="\/ui\/(assets\/app-[\w-]+\.js)"/.exec(html)![1]!;
    const asset = await call(`/ui/${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect((await call('/ui/assets/missing.js')).status).toBe(404);
    expect((await call('/ui')).status).toBe(308);
  });
});

describe('the UI with APIKEY set', () => {
  let gateway: UITestGateway;
  const apiKey = 'ui-test-inbound-key-789';
  beforeAll(async () => {
    gateway = await startUITestGateway({ extraConfig: `\n  APIKEY: "${apiKey}",` });
  });
  afterAll(async () => {
    await gateway?.close();
  });
  const call = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    gateway.server.app.request(`http://127.0.0.1${path}`, {
      ...init,
      headers: { host: 'conduit.example', ...init.headers },
    });

  it('answers 401 on every UI route and API without the session, and the login page for browsers', async () => {
    for (const [method, path] of [...authenticatedUIRoutes, ['POST', '/ui/login'] as const]) {
      const response = await call(path, { method });
      expect([method, path, response.status]).toEqual([method, path, 401]);
    }
    const page = await call('/ui/', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('<form method="post" action="/ui/login">');
  });

  it('exchanges the key for an HttpOnly, SameSite=Strict session cookie (never in the URL)', async () => {
    const wrong = await call('/ui/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'apiKey=nope',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const login = await call('/ui/login', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://conduit.example',
      },
      body: `apiKey=${apiKey}`,
    });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/ui/');
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^conduit_ui_session=[\w-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain(apiKey);
    const session = cookie.split(';')[0]!;
    expect((await call('/ui/api/session', { headers: { cookie: session } })).status).toBe(200);
    expect((await call('/api/transformers', { headers: { cookie: session } })).status).toBe(200);
    // Scripts may send the key itself instead.
    expect((await call('/api/config', { headers: { 'x-api-key': apiKey } })).status).toBe(200);
    const logout = await call('/ui/logout', { method: 'POST', headers: { cookie: session } });
    expect(logout.status).toBe(200);
    expect((await call('/ui/api/session', { headers: { cookie: session } })).status).toBe(401);
  });
});
