import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { inspectSQLiteNativeBinary } from './sqlite-native-binary.js';

const directory = mkdtempSync(join(tmpdir(), 'conduit-sqlite-binary-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** A stand-in addon: filler bytes with `text` written at `offset`. */
function fakeBinary(name: string, size: number, text: string, offset: number): string {
  const bytes = Buffer.alloc(size, 0x41);
  bytes.write(text, offset, 'latin1');
  const path = join(directory, name);
  writeFileSync(path, bytes);
  return path;
}

describe('inspectSQLiteNativeBinary', () => {
  it('finds the installed better-sqlite3 built for this Node', () => {
    expect(inspectSQLiteNativeBinary()).toBe('matches');
  });

  it("reports another Node's build as a mismatch", () => {
    const path = fakeBinary('other-node.node', 300_000, 'node_register_module_v108\0', 1000);
    expect(inspectSQLiteNativeBinary(path, '115')).toBe('mismatch');
    // A longer version that starts with this one is another version, not a match.
    const longer = fakeBinary('longer.node', 1000, 'node_register_module_v1150\0', 10);
    expect(inspectSQLiteNativeBinary(longer, '115')).toBe('mismatch');
  });

  it('finds the symbol across the boundary between two reads, and at the end of the file', () => {
    for (const offset of [64 * 1024 - 10, 64 * 1024 - 1, 64 * 1024, 128 * 1024 - 3]) {
      const path = fakeBinary(
        `split-${offset}.node`,
        200_000,
        'node_register_module_v115\0',
        offset,
      );
      expect(inspectSQLiteNativeBinary(path, '115')).toBe('matches');
    }
    const atEnd = fakeBinary('at-end.node', 70_000, 'node_register_module_v115\0', 70_000 - 26);
    expect(inspectSQLiteNativeBinary(atEnd, '115')).toBe('matches');
  });

  it('cannot tell when the binary is not there', () => {
    expect(inspectSQLiteNativeBinary(join(directory, 'missing.node'), '115')).toBe('unknown');
    expect(inspectSQLiteNativeBinary(directory, '115')).toBe('unknown');
  });
});
