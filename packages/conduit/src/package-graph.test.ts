import { describe, expect, it } from '@jest/globals';
import {
  allowedDependencies,
  checkPackageGraph,
  findCycles,
  readImports,
} from '../../../scripts/check-package-graph.mjs';

describe('the package graph (scripts/check-package-graph.mjs)', () => {
  it('holds for the repository: allowed edges only, no file import cycles', () => {
    const result = checkPackageGraph();
    expect(result.problems).toEqual([]);
    expect(result.packages).toEqual(expect.arrayContaining(Object.keys(allowedDependencies)));
  });

  it('keeps core free of Conduit packages and the server on core alone', () => {
    expect(allowedDependencies['@conduit/core']).toEqual([]);
    expect(allowedDependencies['@conduit/server']).toEqual([
      '@conduit/core',
      '@conduit/test-utils',
    ]);
    expect(allowedDependencies['@conduit/cli']).toEqual([
      '@conduit/conduit',
      '@conduit/test-utils',
    ]);
  });

  it('finds cycles, self-imports included, and nothing in a tree', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['d']],
      ['e', ['a']],
    ]);
    const cycles = findCycles(graph).map((cycle: string[]) => [...cycle].sort());
    expect(cycles).toEqual(expect.arrayContaining([['a', 'b', 'c'], ['d']]));
    expect(cycles).toHaveLength(2);
    expect(
      findCycles(
        new Map([
          ['x', ['y']],
          ['y', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('reads static, type-only, re-export, side-effect and dynamic imports', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from '@conduit/core';",
      "export { c } from '../c.js';",
      "import './side-effect.js';",
      "const d = await import('@conduit/cli/bin');",
      "const text = 'import nothing from here';",
    ].join('\n');
    expect(readImports(source)).toEqual([
      './a.js',
      '@conduit/core',
      '../c.js',
      './side-effect.js',
      '@conduit/cli/bin',
    ]);
  });
});
