// Drives the real interactive Claude Code through `conduit code` in tmux, inside whatever network
// namespace it is started in (the jest test starts it under `unshare -n`). Every step's pane is
// saved to the artifacts folder; the result is one JSON line on stdout.
//
//   node claude-code-tui-driver.mjs <claude binary> <artifacts folder>
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMockChatProvider } from './mock-chat-provider.mjs';

const [claudePath, artifacts] = process.argv.slice(2);
const cli = path.resolve(import.meta.dirname, '../../dist/cli.js');
const root = mkdtempSync(path.join(tmpdir(), 'conduit-tui-'));
const home = path.join(root, 'home');
const project = path.join(root, 'project');
const conduitHome = path.join(home, '.conduit');
const socket = `conduit-e2e-${process.pid}`;
mkdirSync(project, { recursive: true });
mkdirSync(conduitHome, { recursive: true });
mkdirSync(artifacts, { recursive: true });

const steps = [];
let paneNumber = 0;
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const capture = () => tmux('capture-pane', '-p', '-t', 'e2e');
const save = (name, text) => {
  paneNumber++;
  writeFileSync(path.join(artifacts, `${String(paneNumber).padStart(2, '0')}-${name}.txt`), text);
};
async function waitFor(predicate, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let pane = '';
  while (Date.now() < deadline) {
    pane = capture();
    if (predicate(pane)) return { ok: true, pane };
    await sleep(250);
  }
  return { ok: false, pane };
}
async function step(name, action) {
  const result = await action();
  save(name, result.pane ?? '');
  steps.push({
    name,
    ok: result.ok,
    detail: result.detail ?? null,
    pane: result.ok ? undefined : result.pane,
  });
  return result.ok;
}
const typeLine = async text => {
  tmux('send-keys', '-t', 'e2e', '-l', text);
  await sleep(300);
  tmux('send-keys', '-t', 'e2e', 'Enter');
};

const mock = await startMockChatProvider();
writeFileSync(
  path.join(conduitHome, 'config.json'),
  JSON.stringify({
    PORT: 0,
    LOG: false,
    Providers: [
      { name: 'mock', api_base_url: mock.endpoint, api_key: 'sk-mock', models: ['mock-main'] },
      { name: 'other', api_base_url: mock.endpoint, api_key: 'sk-other', models: ['alt-model'] },
    ],
    Router: { default: 'mock,mock-main' },
  }),
);
const env = {
  PATH: process.env.PATH,
  HOME: home,
  CONDUIT_HOME: conduitHome,
  CLAUDE_PATH: claudePath,
  TERM: 'xterm-256color',
  LANG: 'C.UTF-8',
  DISABLE_AUTOUPDATER: '1',
};
const envArgs = Object.entries(env).map(([name, value]) => `${name}=${value}`);
let result;
try {
  execFileSync(
    'tmux',
    [
      '-L',
      socket,
      'new-session',
      '-d',
      '-s',
      'e2e',
      '-x',
      '150',
      '-y',
      '45',
      '-c',
      project,
      'env',
      '-i',
      ...envArgs,
      process.execPath,
      cli,
      'code',
    ],
    { env },
  );

  // The first screen is the prompt: no theme picker, security notes or login screen, and no
  // folder-trust question (`conduit code` marks the folder it runs in trusted on a first run).
  await step('first-screen', async () => {
    const seen = await waitFor(
      pane =>
        /trust this folder|Choose the text style|Security notes|Select login method/.test(pane) ||
        (/^❯/m.test(pane) && !/Starting|Loading/.test(pane)),
      45_000,
    );
    const onboarding =
      /Choose the text style|Security notes|Select login method|Let's get started/.test(seen.pane);
    const trust = /trust this folder/.test(seen.pane);
    return {
      ok: seen.ok && !onboarding && !trust,
      pane: seen.pane,
      detail: onboarding
        ? 'an onboarding screen appeared'
        : trust
          ? 'the folder-trust question appeared'
          : null,
    };
  });
  await step('prompt', () => waitFor(pane => /^❯/m.test(pane) && !/trust this folder/.test(pane)));

  await typeLine('What is the answer?');
  await step('answer', () => waitFor(pane => pane.includes('Mock answer 42 from mock-main')));
  await step('status-line', () => waitFor(pane => pane.includes('mock/mock-main · default')));

  await typeLine('please run the tool');
  await step('permission', () => waitFor(pane => /Do you want to proceed\?/.test(pane)));
  tmux('send-keys', '-t', 'e2e', 'Enter');
  await step('tool-result', async () => {
    const seen = await waitFor(pane => pane.includes('The tool said: conduit-e2e-tool-output'));
    const reached = mock.requests.some(request =>
      (request.body.messages ?? []).some(
        message =>
          message.role === 'tool' && String(message.content).includes('conduit-e2e-tool-output'),
      ),
    );
    return {
      ...seen,
      ok: seen.ok && reached,
      detail: reached ? null : 'the tool result did not reach the mock',
    };
  });

  await typeLine('/model other,alt-model');
  // Mid-conversation, Claude Code asks to confirm the switch (its cache is per model).
  const asked = await waitFor(pane => /Switch model\?|Set model to other,alt-model/.test(pane));
  if (asked.ok && /Switch model\?/.test(asked.pane)) tmux('send-keys', '-t', 'e2e', 'Enter');
  await step('model-command', () => waitFor(pane => pane.includes('Set model to other,alt-model')));
  await sleep(500);
  await typeLine('And now?');
  await step('model-switch', async () => {
    const seen = await waitFor(pane => pane.includes('Mock answer 42 from alt-model'));
    return {
      ...seen,
      detail: `upstream models: ${[...new Set(mock.requests.map(request => request.body.model))].join(', ')}`,
    };
  });
  await step('status-line-after-switch', () =>
    waitFor(pane => pane.includes('other/alt-model · explicit')),
  );
  result = { steps, artifacts, upstreamModels: mock.requests.map(request => request.body.model) };
} catch (error) {
  result = { steps, artifacts, error: String(error?.stack ?? error) };
} finally {
  try {
    save('last', capture());
  } catch {}
  spawnSync('tmux', ['-L', socket, 'kill-server']);
  spawnSync(process.execPath, [cli, 'stop'], { env });
  await mock.close();
  rmSync(root, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(result)}\n`);
