import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cliBundle } from '../../test/cli-harness.js';

// Issue 20: `conduit start` parses every chunk its entry imports before it listens. The fleet and
// the Synapse server load on demand (`@conduit/conduit/start`), so a default start must not carry
// them: one import of the meta-package's index on the start path would put them back.
const distDirectory = path.dirname(cliBundle);
const read = (file: string) => readFileSync(path.join(distDirectory, file), 'utf8');

/** The chunks `conduit start` loads before it listens: the start module and what it imports. */
function startChunks(): string[] {
  const start = /import\("\.\/(run-start-[A-Z0-9]+\.js)"\)/.exec(read('cli.js'))?.[1];
  if (!start) throw new Error('dist/cli.js no longer imports a run-start chunk');
  const chunks = new Set<string>();
  const visit = (file: string) => {
    if (chunks.has(file)) return;
    chunks.add(file);
    for (const match of read(file).matchAll(/(?:import|from)\s*"\.\/([^"]+\.js)"/g)) {
      visit(match[1] as string);
    }
  };
  visit(start);
  return [...chunks];
}

/** Code that only the fleet and the Synapse server have (names and messages survive the minifier). */
const onDemandCode = [
  'fleet: Redis is unreachable',
  'fleet enabled: virtual keys, rate limits and budgets',
  'SynapseServer=class',
  'x-synapse-project-id',
];

describe('the chunks conduit start loads', () => {
  it('hold neither the fleet nor the Synapse server', () => {
    const loaded = startChunks().map(read).join('\n');
    expect(onDemandCode.filter(code => loaded.includes(code))).toEqual([]);
  });

  it('leave that code in the bundle, for the configs that ask for it', () => {
    const bundle = readdirSync(distDirectory)
      .filter(file => file.endsWith('.js'))
      .map(read)
      .join('\n');
    expect(onDemandCode.filter(code => !bundle.includes(code))).toEqual([]);
  });
});
