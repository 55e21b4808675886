import {
  createConduitRouter,
  getDefaultTokenCounter,
  type MessagesRequest,
} from '@conduit/conduit';
import type { CommandModule } from 'yargs';
import { CLIError } from '../lib/cli-error.js';
import { exitCodes } from '../lib/exit-codes.js';
import type { GlobalOptions } from '../lib/global-options.js';
import { loadCliConfig } from '../lib/load-cli-config.js';
import { readTextInput } from '../lib/read-input.js';

export interface RouteArguments extends GlobalOptions {
  file?: string;
  explain: boolean;
  json: boolean;
  header?: string[];
  metadata?: string[];
}

function parsePairs(
  values: string[] | undefined,
  separator: string,
  flag: string,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const value of values ?? []) {
    const index = value.indexOf(separator);
    if (index <= 0) {
      throw new CLIError({
        message: `${flag} "${value}" must look like name${separator}value`,
        exitCode: exitCodes.usage,
      });
    }
    result[value.slice(0, index).trim().toLowerCase()] = value.slice(index + 1).trim();
  }
  return result;
}

function parseRequest(text: string, name: string): MessagesRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new CLIError({ message: `${name} is not valid JSON: ${(error as Error).message}` });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new CLIError({
      message: `${name} must hold an Anthropic Messages request (a JSON object)`,
    });
  }
  const request = body as Record<string, unknown>;
  if (!Array.isArray(request.messages)) {
    throw new CLIError({
      message: `${name} is not an Anthropic Messages request: it has no "messages" array`,
    });
  }
  return body as MessagesRequest;
}

/**
 * `conduit route [file|-]`: a dry run of the router on one request, with no server and no upstream
 * call. Prints the decision, the token count and, with `--explain`, every rule considered.
 */
export const routeCommand: CommandModule<GlobalOptions, RouteArguments> = {
  command: 'route [file]',
  describe: 'Dry-run the router on an Anthropic request (file or - for stdin); no server needed',
  builder: yargs =>
    yargs
      .positional('file', {
        type: 'string',
        describe: 'Request JSON file, or - for standard input',
      })
      .option('explain', {
        type: 'boolean',
        default: false,
        describe: 'List every rule considered and why it did or did not fire',
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON for scripts' })
      .option('header', {
        type: 'string',
        array: true,
        describe: 'Inbound header as "name: value" (e.g. x-synapse-project-id: web); repeatable',
      })
      .option('metadata', {
        type: 'string',
        array: true,
        describe: 'Routing metadata as key=value (e.g. projectId=web); repeatable',
      })
      .example('$0 route request.json --explain', 'why does this request go where it goes?')
      .example('cat request.json | $0 route - --json', 'the decision as JSON'),
  handler: async argv => {
    const loaded = await loadCliConfig({ configPath: argv.config });
    const input = await readTextInput(argv.file);
    const request = parseRequest(input.text, input.name);
    const headers = parsePairs(argv.header, ':', '--header');
    const metadata = parsePairs(argv.metadata, '=', '--metadata');
    const tokenCount = getDefaultTokenCounter().countRequest(request);
    const router = createConduitRouter(loaded.config);
    const explanation = await router.explain({ request, tokenCount, headers, metadata });
    const errorMessage = explanation.error ? explanation.error.message : null;

    if (argv.json) {
      const output = {
        input: input.name,
        config: loaded.path,
        tokenCount,
        decision: explanation.decision ?? null,
        error: errorMessage,
        ...(argv.explain ? { steps: explanation.steps } : {}),
      };
      process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    } else {
      const lines = [
        `Request:  ${input.name} (model "${String(request.model)}")`,
        `Tokens:   ${tokenCount}`,
      ];
      const decision = explanation.decision;
      if (decision) {
        lines.push(
          `Route:    ${decision.provider},${decision.model}`,
          `Reason:   ${decision.reason} (scenario ${decision.scenario})`,
        );
        if (decision.fallbacks.length > 0)
          lines.push(`Fallback: ${decision.fallbacks.join(' → ')}`);
      }
      if (errorMessage) lines.push(`Error:    ${errorMessage}`);
      if (argv.explain) {
        lines.push('', 'Rules considered, in order:');
        for (const step of explanation.steps) {
          lines.push(`  ${step.fired ? '✔' : '·'} ${step.rule}: ${step.detail}`);
        }
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    if (errorMessage) {
      throw new CLIError({ message: `no route: ${errorMessage}`, exitCode: exitCodes.failure });
    }
  },
};
