import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { splitCodeArguments } from '../cli.js';
import { CLIError } from './cli-error.js';
import { formatTable, formatUptime, formatUSD } from './format-table.js';
import { parseTimeBound } from './parse-time.js';
import { acquirePidFile, type PidInfo, readInstanceState } from './pid-file.js';
import { redactSecretValues, redactText } from '@conduit/conduit';

describe('splitCodeArguments', () => {
  it.each([
    [
      ['code', '-p', 'hello world', '--model', 'x', 'a b'],
      ['code'],
      ['-p', 'hello world', '--model', 'x', 'a b'],
    ],
    [['--config', 'my.json', 'code', '--help'], ['--config', 'my.json', 'code'], ['--help']],
    [['-c', 'code', 'code', 'code'], ['-c', 'code', 'code'], ['code']],
    [['code'], ['code'], []],
  ])('%j → conduit %j, claude %j', (argv, conduitArgs, claudeArgs) => {
    expect(splitCodeArguments(argv)).toEqual({ conduitArgs, claudeArgs });
  });

  it('leaves other commands alone', () => {
    expect(splitCodeArguments(['route', 'code'])).toEqual({
      conduitArgs: ['route', 'code'],
      claudeArgs: null,
    });
  });
});

describe('parseTimeBound', () => {
  const now = new Date('2026-11-25T12:00:00.000Z');
  it.each([
    ['7d', '2026-11-18T12:00:00.000Z'],
    ['12h', '2026-11-25T00:00:00.000Z'],
    ['30m', '2026-11-25T11:30:00.000Z'],
    ['2w', '2026-11-11T12:00:00.000Z'],
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T08:30:00Z', '2026-11-01T08:30:00.000Z'],
    ['today', '2026-11-25T00:00:00.000Z'],
  ])('%s', (text, expected) => {
    expect(parseTimeBound(text, { now, flag: '--since' }).toISOString()).toBe(expected);
  });
  it.each(['yesterday', '7 days', '2026-13-45', ''])('rejects %j as a usage error', text => {
    let caught: unknown;
    try {
      parseTimeBound(text, { now, flag: '--since' });
    } catch (error) {
      caught = error;
    }
    expect(CLIError.isInstance(caught) && caught.exitCode).toBe(64);
  });
});

describe('redactSecretValues', () => {
  it('hides secret-named values, keeps empty ones visible, scrubs text', () => {
    const redacted = redactSecretValues({
      api_key: 'k1',
      APIKEY: 'k2',
      api_keys: ['a', 'b'],
      nested: { clientSecret: 's', accessToken: 't', empty_key: '', name: 'kept' },
      url: 'https://user:pw@host/x',
      note: 'header Bearer abcdefghijklmnop and sk-abcdefghijklmnop',
    });
    expect(redacted).toEqual({
      api_key: '[redacted]',
      APIKEY: '[redacted]',
      api_keys: ['[redacted]', '[redacted]'],
      nested: {
        clientSecret: '[redacted]',
        accessToken: '[redacted]',
        empty_key: '',
        name: 'kept',
      },
      url: 'https://[redacted]@host/x',
      note: 'header Bearer [redacted] and [redacted]',
    });
    expect(redactText('AIzaSyA1234567890abcdefghijklmnop')).toBe('[redacted]');
  });
});

describe('format helpers', () => {
  it('aligns tables and formats money and uptime', () => {
    expect(
      formatTable(
        [{ header: 'name' }, { header: 'n', align: 'right' }],
        [
          ['a', '1'],
          ['bbb', '100'],
        ],
      ),
    ).toBe('name    n\n----  ---\na       1\nbbb   100');
    expect(formatUSD(1234.5)).toBe('$1,234.50');
    expect(formatUSD(0.0012)).toBe('$0.0012');
    expect(formatUptime(59)).toBe('59s');
    expect(formatUptime(3725)).toBe('1h 2m');
    expect(formatUptime(90_000)).toBe('1d 1h');
  });
});

describe('PID file', () => {
  const info = (pid: number): PidInfo => ({
    pid,
    port: 1,
    host: '127.0.0.1',
    startedAt: new Date().toISOString(),
    version: 'test',
    configPath: null,
    mode: 'daemon',
  });

  it('refuses a live owner, replaces a stale one, and treats garbage as stale', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'conduit-pid-'));
    const pidFile = path.join(directory, 'conduit.pid');
    try {
      expect(await readInstanceState(pidFile)).toEqual({ state: 'stopped' });
      await acquirePidFile(pidFile, info(process.pid));
      expect((await readInstanceState(pidFile)).state).toBe('running');
      await expect(acquirePidFile(pidFile, info(123))).rejects.toThrow(/already running \(PID \d+/);

      // a PID that cannot exist (above pid_max) is stale
      writeFileSync(pidFile, JSON.stringify(info(2 ** 30)));
      expect((await readInstanceState(pidFile)).state).toBe('stale');
      expect(await acquirePidFile(pidFile, info(process.pid))).toEqual({ removedStale: true });
      expect(JSON.parse(readFileSync(pidFile, 'utf8')).pid).toBe(process.pid);

      writeFileSync(pidFile, 'not json');
      expect(await readInstanceState(pidFile)).toEqual({ state: 'stale', info: null });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
