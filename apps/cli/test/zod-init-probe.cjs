/**
 * Preload (`node --require`) for tests of the built CLI: records each time zod initializes. zod is
 * bundled into `dist/cli.js`, so it is observed from outside the bundle: zod's core module creates
 * `globalThis.__zod_globalConfig` when it initializes (zod v4, `v4/core/core.js`), and this
 * accessor records the stack of that assignment. The test asks over IPC: `'zod-inits?'` is answered
 * with `{ zodInits: string[] }` (one stack per initialization, none when zod never loaded).
 */
'use strict';

const zodInits = [];
let zodGlobalConfig;

Object.defineProperty(globalThis, '__zod_globalConfig', {
  configurable: true,
  get() {
    return zodGlobalConfig;
  },
  set(value) {
    zodGlobalConfig = value;
    // The whole stack: the module that imported zod is below zod's own ~10 frames.
    const { stackTraceLimit } = Error;
    Error.stackTraceLimit = 100;
    zodInits.push(String(new Error('zod initialized').stack));
    Error.stackTraceLimit = stackTraceLimit;
  },
});

process.on('message', message => {
  if (message === 'zod-inits?') process.send({ zodInits });
});
