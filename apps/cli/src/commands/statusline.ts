import type { CommandModule } from 'yargs';
import { requestExitCode } from '../lib/exit-status.js';
import type { GlobalOptions } from '../lib/global-options.js';

/**
 * `conduit statusline`: listed here for `--help` and reached through yargs only in unusual
 * argument orders; `bin.ts` normally runs it without loading the rest of the CLI.
 */
export const statusLineCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'statusline',
  describe:
    "Print Claude Code's status line (reads its JSON on stdin): provider/model, route, session tokens and cost",
  builder: yargs =>
    yargs.epilog(
      'Set as Claude Code\'s statusLine command by `conduit code`. Format: "statusLine": { "format": "{{target}} · {{route}} · ↑{{inputTokens}} ↓{{outputTokens}} · {{cost}}" } in the config; CCR\'s "StatusLine" modules are used when enabled.',
    ),
  handler: async argv => {
    const { runStatusLine } = await import('../statusline/run-statusline.js');
    requestExitCode(await runStatusLine({ configPath: argv.config }));
  },
};
