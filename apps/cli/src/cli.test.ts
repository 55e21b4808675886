import { describe, expect, it } from '@jest/globals';
import { createSandbox } from '../test/cli-harness.js';

describe('conduit (global behaviour)', () => {
  it('prints --version and --help (with exit codes) for the bundle, also as a subcommand option', async () => {
    const sandbox = createSandbox();
    try {
      const version = await sandbox.run(['--version']);
      expect(version.code).toBe(0);
      expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
      const help = await sandbox.run(['--help']);
      expect(help.code).toBe(0);
      for (const command of [
        'start',
        'stop',
        'restart',
        'status',
        'code',
        'activate',
        'route',
        'usage',
        'config',
      ]) {
        expect(help.stdout).toMatch(new RegExp(`conduit ${command}\\b`));
      }
      expect(help.stdout).toMatch(/Exit codes:[\s\S]*127\s+claude not found/);
      const startHelp = await sandbox.run(['start', '--help']);
      expect(startHelp.stdout).toMatch(/--daemon/);
      expect(startHelp.stdout).not.toMatch(/daemon-child/);
    } finally {
      await sandbox.dispose();
    }
  });

  it('rejects unknown commands and flags with a suggestion and exit code 64', async () => {
    const sandbox = createSandbox();
    try {
      const typo = await sandbox.run(['statsu']);
      expect(typo.code).toBe(64);
      expect(typo.stderr).toMatch(/unknown command "statsu"\. Did you mean status\?/);
      const flag = await sandbox.run(['status', '--jsn']);
      expect(flag.code).toBe(64);
      expect(flag.stderr).toMatch(/Unknown argument: jsn/);
      const none = await sandbox.run([]);
      expect(none.code).toBe(64);
      expect(none.stderr).toMatch(/Name a command/);
    } finally {
      await sandbox.dispose();
    }
  });
});
