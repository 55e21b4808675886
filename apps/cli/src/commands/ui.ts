import type { CommandModule } from 'yargs';
import { ensureGatewayRunning } from '../lib/ensure-gateway.js';
import type { GlobalOptions } from '../lib/global-options.js';
import { openBrowser } from '../lib/open-browser.js';

export interface UIArguments extends GlobalOptions {
  open: boolean;
}

/**
 * `conduit ui` (and `ccr ui`): starts the daemon if needed, prints the dashboard's URL and opens it
 * in the browser (`--no-open` only prints it). Exits 0 with the daemon running.
 */
export const uiCommand: CommandModule<GlobalOptions, UIArguments> = {
  command: 'ui',
  describe: 'Open the web dashboard and config editor (starts the daemon if needed)',
  builder: yargs =>
    yargs
      .option('open', {
        type: 'boolean',
        default: true,
        describe: 'Open the browser (--no-open only prints the URL)',
      })
      .example('$0 ui', 'start Conduit if needed and open http://127.0.0.1:3456/ui/')
      .example('$0 ui --no-open', 'print the URL (for a remote shell or a script)'),
  handler: async argv => {
    const baseURL = await ensureGatewayRunning(argv.config);
    const url = `${baseURL}/ui/`;
    process.stdout.write(`${url}\n`);
    if (!argv.open) return;
    if (!(await openBrowser(url))) {
      process.stderr.write(
        'conduit: could not open a browser here; open the URL above yourself.\n',
      );
    }
  },
};
