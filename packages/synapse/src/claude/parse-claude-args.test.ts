import { describe, expect, it } from '@jest/globals';
import { ClaudeCommandLineError } from '../errors/claude-command-line-error.js';
import { type ClaudeCommandLine, parseClaudeArgs } from './parse-claude-args.js';

type Expected = Partial<Omit<ClaudeCommandLine, 'options'>>;

/** Splits a command line the way a POSIX shell would for these simple cases (quotes only). */
function shellSplit(line: string): string[] {
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const match of line.matchAll(pattern)) {
    words.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? match[3]!));
  }
  return words;
}

describe('parseClaudeArgs', () => {
  it.each<[string, Expected]>([
    ['claude -p "say hi" --model sonnet', { prompt: 'say hi', print: true, model: 'sonnet' }],
    [
      'claude --model deepseek,deepseek-chat "fix the bug"',
      { prompt: 'fix the bug', print: false, model: 'deepseek,deepseek-chat' },
    ],
    [
      'claude --append-system-prompt "be brief" -p hello',
      { prompt: 'hello', print: true, appendSystemPrompt: 'be brief' },
    ],
    [
      'claude --print "explain this repo" --output-format json',
      { prompt: 'explain this repo', print: true, outputFormat: 'json' },
    ],
    [
      'claude -p --model=haiku "what changed?"',
      { prompt: 'what changed?', print: true, model: 'haiku' },
    ],
    [
      'claude "summarize" -p --max-turns 3 --output-format stream-json --verbose',
      { prompt: 'summarize', print: true, maxTurns: 3, outputFormat: 'stream-json' },
    ],
    [
      'claude --system-prompt "You are a SRE" -p "check the logs"',
      { prompt: 'check the logs', systemPrompt: 'You are a SRE' },
    ],
    [
      'claude -p "run tests" --allowedTools "Bash(npm test:*)" Edit',
      { prompt: 'run tests', allowedTools: ['Bash(npm', 'test:*)', 'Edit'] },
    ],
    [
      'claude --allowedTools Read,Grep -p "find the config"',
      { prompt: 'find the config', allowedTools: ['Read', 'Grep'] },
    ],
    ['claude --allowed-tools=Read "find it"', { prompt: 'find it', allowedTools: ['Read'] }],
    // commander semantics: a variadic option swallows the prompt (claude does the same).
    ['claude --allowedTools Edit "fix the bug"', { allowedTools: ['Edit', 'fix', 'the', 'bug'] }],
    [
      'claude --disallowedTools Bash -- "rm nothing"',
      { prompt: 'rm nothing', disallowedTools: ['Bash'] },
    ],
    ['claude -p -- "--not-a-flag please"', { prompt: '--not-a-flag please', print: true }],
    ['claude -c -p "and now the tests"', { prompt: 'and now the tests', print: true }],
    ['claude -pc "continue"', { prompt: 'continue', print: true }],
    ['claude --resume abc123 "next step"', { prompt: 'next step' }],
    [
      'claude --dangerously-skip-permissions --permission-mode plan -p "plan it"',
      { prompt: 'plan it', print: true },
    ],
    [
      'claude --future-flag on -p "hello"',
      { prompt: 'hello', unknownOptions: { '--future-flag': 'on' } },
    ],
    [
      'claude --future-flag "hello"',
      { prompt: 'hello', unknownOptions: { '--future-flag': true } },
    ],
    [
      'claude -p hello --future-switch',
      { prompt: 'hello', unknownOptions: { '--future-switch': true } },
    ],
    ['claude --future=value hello', { prompt: 'hello', unknownOptions: { '--future': 'value' } }],
    ['claude --model opus', { model: 'opus', print: false }],
    ['claude', { print: false, extraArguments: [] }],
    ['claude "first" "second"', { prompt: 'first', extraArguments: ['second'] }],
    ['/usr/local/bin/claude -p hi', { prompt: 'hi', print: true }],
    ['claude --mcp-config a.json b.json -p "use mcp"', { prompt: 'use mcp' }],
    ["claude '--print=inline prompt'", { prompt: 'inline prompt', print: true }],
  ])('%s', (line, expected) => {
    const parsed = parseClaudeArgs(shellSplit(line));
    expect(parsed).toMatchObject(expected);
    if (!('prompt' in expected)) expect(parsed.prompt).toBeUndefined();
  });

  it('keeps every known option by its long name', () => {
    const parsed = parseClaudeArgs(
      shellSplit(
        'claude -p "x" --max-turns 2 --add-dir ../lib ../docs --settings \'{"a":1}\' -d api',
      ),
    );
    expect(parsed.options).toEqual({
      print: true,
      'max-turns': '2',
      'add-dir': ['../lib', '../docs'],
      settings: '{"a":1}',
      debug: 'api',
    });
  });

  it('accepts arguments without the program name', () => {
    expect(parseClaudeArgs(['-p', 'say hi'])).toMatchObject({ prompt: 'say hi', print: true });
  });

  it.each([
    [['--model'], 'Option --model needs a value (e.g. --model sonnet).'],
    [['--model', '-p', 'hi'], 'Option --model needs a value (e.g. --model sonnet).'],
    [
      ['--max-turns', 'three', '-p', 'hi'],
      '--max-turns expects a positive whole number, got "three".',
    ],
    [['--max-turns', '0'], '--max-turns expects a positive whole number, got "0".'],
    [
      ['--output-format', 'xml', '-p', 'hi'],
      '--output-format must be one of text, json, stream-json, got "xml".',
    ],
    [
      ['--allowedTools', '-p', 'hi'],
      'Option --allowedTools needs at least one value (e.g. --allowedTools "Bash(git:*)" Edit).',
    ],
    [['--help'], '"claude --help" prints help and makes no model request.'],
    [['-v'], '"claude -v" prints the version and makes no model request.'],
    [['mcp', 'list'], '"claude mcp" is a Claude Code subcommand and makes no model request.'],
    [
      ['claude', 'doctor'],
      '"claude doctor" is a Claude Code subcommand and makes no model request.',
    ],
  ])('rejects %j', (args, message) => {
    let caught: unknown;
    try {
      parseClaudeArgs(args);
    } catch (error) {
      caught = error;
    }
    expect(ClaudeCommandLineError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toBe(message);
  });

  it('reads a subcommand name as a prompt once a prompt position is taken or it is quoted text', () => {
    expect(parseClaudeArgs(['-p', 'update the readme'])).toMatchObject({
      prompt: 'update the readme',
    });
    expect(parseClaudeArgs(['explain', 'update'])).toMatchObject({
      prompt: 'explain',
      extraArguments: ['update'],
    });
  });
});
