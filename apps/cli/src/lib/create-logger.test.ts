import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createFileLogger } from './create-logger.js';

describe('createFileLogger', () => {
  it('writes redacted JSON lines and rotates by size, keeping a bounded number of files', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'conduit-logs-'));
    try {
      const logger = await createFileLogger({ directory, maxSize: '1K', maxFiles: 2 });
      for (let index = 0; index < 200; index++) {
        logger.info(`request ${index} with Bearer abcdefghijklmnopqrstuvwxyz`, {
          api_key: 'sk-should-never-appear',
          headers: { authorization: 'Bearer secret-token-value', 'x-title': 'visible' },
          index,
        });
        // rotation happens between writes; give the stream a turn
        if (index % 20 === 0) await new Promise(resolve => setTimeout(resolve, 5));
      }
      await logger.close();
      const files = readdirSync(directory).sort();
      expect(files).toContain('conduit.log');
      expect(files).toContain('conduit.log.1');
      expect(files.length).toBeLessThanOrEqual(3);
      const all = files.map(file => readFileSync(path.join(directory, file), 'utf8')).join('');
      expect(all).not.toContain('sk-should-never-appear');
      expect(all).not.toContain('secret-token-value');
      expect(all).not.toContain('abcdefghijklmnopqrstuvwxyz');
      expect(all).toContain('"x-title":"visible"');
      const line = JSON.parse(all.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
      expect(line).toMatchObject({ level: 30, api_key: '[redacted]' });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
