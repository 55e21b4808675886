/**
 * `conduit model`'s interactive picker, typed into a real terminal (tmux). Skipped locally without
 * tmux (with a message); under CI=true a missing tmux fails the test.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { cliBundle, createSandbox, type Sandbox } from '../cli-harness.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const inCI = process.env.CI === 'true';
if (!hasTmux && !inCI)
  process.stderr.write('skipping the conduit model picker test: tmux is missing\n');
const runIt = hasTmux || inCI ? it : it.skip;

describe('conduit model, interactive (tmux)', () => {
  let sandbox: Sandbox;
  const socket = `conduit-model-${process.pid}`;
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const keys = (...names: string[]) => tmux('send-keys', '-t', 'picker', ...names);
  async function waitFor(text: string): Promise<string> {
    let pane = '';
    for (let attempt = 0; attempt < 120; attempt++) {
      pane = tmux('capture-pane', '-p', '-t', 'picker');
      if (pane.includes(text)) return pane;
      await new Promise(resolve => setTimeout(resolve, 250));
    }
    throw new Error(`"${text}" never appeared; the screen was:\n${pane}`);
  }

  beforeEach(() => {
    sandbox = createSandbox();
    mkdirSync(sandbox.conduitHome, { recursive: true });
    writeFileSync(
      path.join(sandbox.conduitHome, 'config.json'),
      JSON.stringify({
        Providers: [
          {
            name: 'deepseek',
            api_base_url: 'https://api.deepseek.com/chat/completions',
            api_key: '$DEEPSEEK_API_KEY',
            models: ['deepseek-chat', 'deepseek-reasoner'],
          },
        ],
        Router: { default: 'deepseek,deepseek-chat' },
      }),
    );
  });
  afterEach(async () => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    await sandbox.dispose();
  });

  runIt(
    'sets a Router slot and adds a provider with its key as an environment reference',
    async () => {
      const env = Object.entries({
        ...sandbox.env,
        TERM: 'xterm-256color',
        DEEPSEEK_API_KEY: 'sk-d',
      }).map(([name, value]) => `${name}=${value}`);
      tmux(
        'new-session',
        '-d',
        '-s',
        'picker',
        '-x',
        '120',
        '-y',
        '40',
        'env',
        '-i',
        ...env,
        process.execPath,
        cliBundle,
        'model',
      );
      tmux('set-option', '-t', 'picker', 'remain-on-exit', 'on');

      await waitFor('Set a Router slot');
      keys('Enter');
      await waitFor('Which Router slot?');
      keys('Down', 'Down', 'Enter'); // default, background, think
      await waitFor('Route for think');
      keys('Down', 'Enter'); // deepseek,deepseek-chat, deepseek,deepseek-reasoner
      await waitFor('✔ wrote');

      keys('Down', 'Enter'); // Add a provider
      await waitFor('Provider name');
      keys('-l', 'kimi');
      keys('Enter');
      await waitFor('Endpoint URL');
      keys('-l', 'https://api.moonshot.ai/v1/chat/completions');
      keys('Enter');
      await waitFor('Environment variable holding the API key');
      keys('Enter'); // the suggested KIMI_API_KEY
      await waitFor('Models (comma-separated)');
      keys('-l', 'kimi-k2, kimi-k2-thinking');
      keys('Enter');
      await waitFor('Transformers');
      keys('Enter'); // none
      await waitFor('kimi');
      await waitFor('✔ wrote');
      keys('Down', 'Down', 'Enter'); // Done

      let config: Record<string, unknown> = {};
      for (let attempt = 0; attempt < 40; attempt++) {
        config = JSON.parse(readFileSync(path.join(sandbox.conduitHome, 'config.json'), 'utf8'));
        if (Array.isArray(config.Providers) && config.Providers.length === 2) break;
        await new Promise(resolve => setTimeout(resolve, 250));
      }
      expect(config.Router).toEqual({
        default: 'deepseek,deepseek-chat',
        think: 'deepseek,deepseek-reasoner',
      });
      expect((config.Providers as unknown[])[1]).toEqual({
        name: 'kimi',
        api_base_url: 'https://api.moonshot.ai/v1/chat/completions',
        api_key: '$KIMI_API_KEY',
        models: ['kimi-k2', 'kimi-k2-thinking'],
      });
    },
  );
});
