/**
 * The options of the `claude` CLI (Claude Code 2.x, `claude --help`), by how they take values.
 * `boolean` takes none, `value` exactly one, `optional` one when the next argument is not an
 * option (commander's `[value]`), `variadic` every following argument up to the next option
 * (commander's `<values...>`: `--allowedTools Bash Edit "fix it"` swallows the prompt, as in
 * `claude` itself).
 * @module
 */

/** How an option takes values. */
export type ClaudeOptionKind = 'boolean' | 'value' | 'optional' | 'variadic';

/** One known option: its canonical long name and kind. */
export interface ClaudeOptionSpec {
  name: string;
  kind: ClaudeOptionKind;
}

const specs: Array<[names: string[], kind: ClaudeOptionKind]> = [
  [['-p', '--print'], 'boolean'],
  [['-c', '--continue'], 'boolean'],
  [['-r', '--resume'], 'optional'],
  [['-d', '--debug'], 'optional'],
  [['-v', '--version'], 'boolean'],
  [['-h', '--help'], 'boolean'],
  [['--model'], 'value'],
  [['--fallback-model'], 'value'],
  [['--system-prompt'], 'value'],
  [['--system-prompt-file'], 'value'],
  [['--append-system-prompt'], 'value'],
  [['--append-system-prompt-file'], 'value'],
  [['--max-turns'], 'value'],
  [['--max-budget-usd'], 'value'],
  [['--output-format'], 'value'],
  [['--input-format'], 'value'],
  [['--json-schema'], 'value'],
  [['--permission-mode'], 'value'],
  [['--permission-prompt-tool'], 'value'],
  [['--settings'], 'value'],
  [['--setting-sources'], 'value'],
  [['--session-id'], 'value'],
  [['--agents'], 'value'],
  [['--agent'], 'value'],
  [['--debug-file'], 'value'],
  [['--allowedTools', '--allowed-tools'], 'variadic'],
  [['--disallowedTools', '--disallowed-tools'], 'variadic'],
  [['--tools'], 'variadic'],
  [['--add-dir'], 'variadic'],
  [['--mcp-config'], 'variadic'],
  [['--betas'], 'variadic'],
  [['--plugin-dir'], 'variadic'],
  [['--verbose'], 'boolean'],
  [['--mcp-debug'], 'boolean'],
  [['--fork-session'], 'boolean'],
  [['--ide'], 'boolean'],
  [['--strict-mcp-config'], 'boolean'],
  [['--include-partial-messages'], 'boolean'],
  [['--replay-user-messages'], 'boolean'],
  [['--dangerously-skip-permissions'], 'boolean'],
  [['--allow-dangerously-skip-permissions'], 'boolean'],
];

/** Known options by every spelling (`-p`, `--print`, `--allowed-tools`, ...). */
export const claudeOptions: ReadonlyMap<string, ClaudeOptionSpec> = new Map(
  specs.flatMap(([names, kind]) => {
    const name = (names.find(candidate => candidate.startsWith('--')) ?? names[0]!).slice(2);
    return names.map(spelling => [spelling, { name, kind }] as const);
  }),
);

/** `claude <subcommand>` forms that make no model request. */
export const claudeSubcommands: ReadonlySet<string> = new Set([
  'config',
  'mcp',
  'plugin',
  'migrate-installer',
  'setup-token',
  'doctor',
  'update',
  'install',
]);
