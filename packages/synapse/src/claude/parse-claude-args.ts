/**
 * Parses a `claude` command line the way the Claude Code CLI (commander) does.
 * @module
 */
import { ClaudeCommandLineError } from '../errors/claude-command-line-error.js';
import { claudeOptions, claudeSubcommands } from './claude-options.js';

/** A parsed `claude` command line. */
export interface ClaudeCommandLine {
  /** The prompt (the first positional argument), if any. */
  prompt?: string;
  /** `-p`/`--print`: non-interactive mode. */
  print: boolean;
  /** `--model`, as given (an alias like `sonnet`, a full id, or `provider,model`). */
  model?: string;
  fallbackModel?: string;
  /** `--system-prompt`: replaces Claude Code's system prompt. */
  systemPrompt?: string;
  /** `--append-system-prompt`: appended to the system prompt. */
  appendSystemPrompt?: string;
  maxTurns?: number;
  /** `text`, `json` or `stream-json`. */
  outputFormat?: 'text' | 'json' | 'stream-json';
  allowedTools: string[];
  disallowedTools: string[];
  /** Every known option by canonical long name (`allowedTools`, `resume`, ...). */
  options: Record<string, string | boolean | string[]>;
  /** Options `claude` does not document, with their value when one followed (tolerated). */
  unknownOptions: Record<string, string | true>;
  /** Positional arguments after the prompt (`claude` ignores them). */
  extraArguments: string[];
}

const outputFormats = ['text', 'json', 'stream-json'] as const;

/**
 * Parses `args` (already split by the shell; a leading `claude` program name is skipped):
 * `--model <m>` and `--model=m`, `-p`/`--print` with the prompt after it or anywhere as the first
 * positional, `--system-prompt`, `--append-system-prompt`, `--max-turns`, `--output-format`,
 * variadic `--allowedTools`, `--` (everything after it is positional), combined short flags
 * (`-pc`). An unknown `--flag` takes the next argument as its value unless that argument is the
 * last one and no prompt was seen yet (then it is the prompt).
 *
 * @throws ClaudeCommandLineError for `--help`, `--version`, subcommands (`claude mcp ...`), an
 * option missing its value, or a bad `--max-turns`/`--output-format`.
 * @example
 * parseClaudeArgs(['-p', 'say hi', '--model', 'sonnet']);
 * // { prompt: 'say hi', print: true, model: 'sonnet', ... }
 */
export function parseClaudeArgs(args: readonly string[]): ClaudeCommandLine {
  const list = [...args];
  if (list.length > 0 && /(^|[\\/])claude(\.exe|\.cmd)?$/.test(list[0]!)) list.shift();
  const options: Record<string, string | boolean | string[]> = {};
  const unknownOptions: Record<string, string | true> = {};
  const positionals: string[] = [];
  let index = 0;
  const next = (): string | undefined => list[index + 1];
  const isOptionLike = (value: string | undefined) =>
    value?.startsWith('-') === true && value !== '-';

  while (index < list.length) {
    const argument = list[index]!;
    if (argument === '--') {
      positionals.push(...list.slice(index + 1));
      break;
    }
    if (!isOptionLike(argument)) {
      if (positionals.length === 0 && claudeSubcommands.has(argument)) {
        throw new ClaudeCommandLineError({
          message: `"claude ${argument}" is a Claude Code subcommand and makes no model request.`,
          argument,
        });
      }
      positionals.push(argument);
      index++;
      continue;
    }
    const equals = argument.startsWith('--') ? argument.indexOf('=') : -1;
    const flag = equals === -1 ? argument : argument.slice(0, equals);
    const inlineValue = equals === -1 ? undefined : argument.slice(equals + 1);
    const spec = claudeOptions.get(flag);

    if (!spec) {
      if (!argument.startsWith('--') && expandShortCluster(argument, options)) {
        index++;
        continue;
      }
      if (inlineValue !== undefined) {
        unknownOptions[flag] = inlineValue;
        index++;
        continue;
      }
      const candidate = next();
      const remainingPositional = index + 2 >= list.length;
      if (
        candidate !== undefined &&
        !isOptionLike(candidate) &&
        !(remainingPositional && positionals.length === 0)
      ) {
        unknownOptions[flag] = candidate;
        index += 2;
      } else {
        unknownOptions[flag] = true;
        index++;
      }
      continue;
    }

    switch (spec.kind) {
      case 'boolean':
        if (spec.name === 'help' || spec.name === 'version') {
          throw new ClaudeCommandLineError({
            message: `"claude ${flag}" prints ${spec.name === 'help' ? 'help' : 'the version'} and makes no model request.`,
            argument: flag,
          });
        }
        options[spec.name] = true;
        // Tolerated: `--print="say hi"` is read as the prompt.
        if (inlineValue !== undefined && spec.name === 'print') positionals.unshift(inlineValue);
        index++;
        break;
      case 'value': {
        const value = inlineValue ?? next();
        if (value === undefined || (inlineValue === undefined && isOptionLike(value))) {
          throw new ClaudeCommandLineError({
            message: `Option ${flag} needs a value (e.g. ${flag} ${exampleValue(spec.name)}).`,
            argument: flag,
          });
        }
        options[spec.name] = value;
        index += inlineValue === undefined ? 2 : 1;
        break;
      }
      case 'optional': {
        const candidate = next();
        if (inlineValue !== undefined) {
          options[spec.name] = inlineValue;
          index++;
        } else if (candidate !== undefined && !isOptionLike(candidate)) {
          options[spec.name] = candidate;
          index += 2;
        } else {
          options[spec.name] = true;
          index++;
        }
        break;
      }
      case 'variadic': {
        const values = Array.isArray(options[spec.name]) ? (options[spec.name] as string[]) : [];
        if (inlineValue !== undefined) values.push(inlineValue);
        index++;
        while (
          inlineValue === undefined &&
          index < list.length &&
          !isOptionLike(list[index]) &&
          list[index] !== '--'
        ) {
          values.push(list[index]!);
          index++;
        }
        if (values.length === 0) {
          throw new ClaudeCommandLineError({
            message: `Option ${flag} needs at least one value (e.g. ${flag} "Bash(git:*)" Edit).`,
            argument: flag,
          });
        }
        options[spec.name] = values;
        break;
      }
    }
  }

  return toCommandLine(options, unknownOptions, positionals);
}

function toCommandLine(
  options: Record<string, string | boolean | string[]>,
  unknownOptions: Record<string, string | true>,
  positionals: string[],
): ClaudeCommandLine {
  const text = (name: string) =>
    typeof options[name] === 'string' ? (options[name] as string) : undefined;
  const list = (name: string) =>
    Array.isArray(options[name])
      ? (options[name] as string[]).flatMap(value => value.split(/[\s,]+/)).filter(Boolean)
      : [];
  const result: ClaudeCommandLine = {
    print: options.print === true,
    allowedTools: list('allowedTools'),
    disallowedTools: list('disallowedTools'),
    options,
    unknownOptions,
    extraArguments: positionals.slice(1),
  };
  if (positionals[0] !== undefined) result.prompt = positionals[0];
  const model = text('model');
  if (model !== undefined) result.model = model;
  const fallbackModel = text('fallback-model');
  if (fallbackModel !== undefined) result.fallbackModel = fallbackModel;
  const systemPrompt = text('system-prompt');
  if (systemPrompt !== undefined) result.systemPrompt = systemPrompt;
  const appendSystemPrompt = text('append-system-prompt');
  if (appendSystemPrompt !== undefined) result.appendSystemPrompt = appendSystemPrompt;
  const maxTurns = text('max-turns');
  if (maxTurns !== undefined) {
    if (!/^\d+$/.test(maxTurns) || Number(maxTurns) < 1) {
      throw new ClaudeCommandLineError({
        message: `--max-turns expects a positive whole number, got "${maxTurns}".`,
        argument: '--max-turns',
      });
    }
    result.maxTurns = Number(maxTurns);
  }
  const outputFormat = text('output-format');
  if (outputFormat !== undefined) {
    if (!(outputFormats as readonly string[]).includes(outputFormat)) {
      throw new ClaudeCommandLineError({
        message: `--output-format must be one of ${outputFormats.join(', ')}, got "${outputFormat}".`,
        argument: '--output-format',
      });
    }
    result.outputFormat = outputFormat as ClaudeCommandLine['outputFormat'];
  }
  return result;
}

/** `-pc` → `-p -c`; only clusters made entirely of known boolean short flags. */
function expandShortCluster(
  argument: string,
  options: Record<string, string | boolean | string[]>,
): boolean {
  if (!/^-[a-zA-Z]{2,}$/.test(argument)) return false;
  const specs = [...argument.slice(1)].map(letter => claudeOptions.get(`-${letter}`));
  if (
    !specs.every(
      spec => spec?.kind === 'boolean' && spec.name !== 'help' && spec.name !== 'version',
    )
  ) {
    return false;
  }
  for (const spec of specs) options[spec!.name] = true;
  return true;
}

function exampleValue(name: string): string {
  switch (name) {
    case 'model':
      return 'sonnet';
    case 'max-turns':
      return '3';
    case 'output-format':
      return 'json';
    default:
      return '"..."';
  }
}
