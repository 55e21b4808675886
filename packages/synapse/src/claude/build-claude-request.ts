/**
 * Turns a parsed `claude` command line into the Anthropic Messages request Claude Code would
 * open the session with (for routing and token counting).
 * @module
 */
import type { MessagesRequest, TextBlock } from '@conduit/core';
import type { EnvironmentVariables } from '../context/context-extractor.js';
import type { ClaudeCommandLine } from './parse-claude-args.js';

/**
 * The model ids Claude Code's aliases resolved to in the captured traffic
 * (`@anthropic-ai/claude-code` 2.1.197, see the fixtures README). `ANTHROPIC_DEFAULT_*_MODEL`
 * overrides them, as in Claude Code.
 */
export const claudeModelAliases: Readonly<Record<'opus' | 'sonnet' | 'haiku', string>> =
  Object.freeze({
    opus: 'claude-opus-4-8',
    sonnet: 'claude-sonnet-5',
    haiku: 'claude-haiku-4-5-20251001',
  });

/** Claude Code's model when neither `--model` nor `ANTHROPIC_MODEL` is set. */
export const claudeDefaultModel = claudeModelAliases.opus;

/** Claude Code's `max_tokens` for the main loop on these models. */
const claudeMaxTokens = 32000;

/**
 * The model Claude Code would request: `--model`, else `ANTHROPIC_MODEL`, else the default.
 * Aliases (`opus`, `sonnet`, `haiku`, `opusplan`, `default`, with an optional `[1m]` suffix) are
 * resolved, honouring `ANTHROPIC_DEFAULT_OPUS_MODEL`/`..._SONNET_MODEL`/`..._HAIKU_MODEL`. Full ids
 * and `provider,model` strings pass through unchanged.
 */
export function resolveClaudeModel(
  commandLine: Pick<ClaudeCommandLine, 'model'>,
  env: EnvironmentVariables,
  defaultModel: string = claudeDefaultModel,
): string {
  const requested = nonEmpty(commandLine.model) ?? nonEmpty(env.ANTHROPIC_MODEL);
  if (requested === undefined) return defaultModel;
  const alias = requested.toLowerCase().replace(/\[1m\]$/, '');
  switch (alias) {
    case 'opus':
    case 'opusplan':
      return nonEmpty(env.ANTHROPIC_DEFAULT_OPUS_MODEL) ?? claudeModelAliases.opus;
    case 'sonnet':
      return nonEmpty(env.ANTHROPIC_DEFAULT_SONNET_MODEL) ?? claudeModelAliases.sonnet;
    case 'haiku':
      return nonEmpty(env.ANTHROPIC_DEFAULT_HAIKU_MODEL) ?? claudeModelAliases.haiku;
    case 'default':
      return defaultModel;
    default:
      return requested;
  }
}

/**
 * The first request of the session: the prompt as the user message (none for an interactive
 * session without a prompt), `--system-prompt` and `--append-system-prompt` as system blocks,
 * and extended thinking when `MAX_THINKING_TOKENS` is set (then the `think` route applies).
 * Claude Code's own system prompt and tool list are not reproduced, so the token count is that
 * of what the user typed.
 */
export function buildClaudeRequest(
  commandLine: ClaudeCommandLine,
  env: EnvironmentVariables,
  options: { defaultModel?: string } = {},
): MessagesRequest {
  const system: TextBlock[] = [];
  if (commandLine.systemPrompt) system.push({ type: 'text', text: commandLine.systemPrompt });
  if (commandLine.appendSystemPrompt) {
    system.push({ type: 'text', text: commandLine.appendSystemPrompt });
  }
  const request: MessagesRequest = {
    model: resolveClaudeModel(commandLine, env, options.defaultModel),
    max_tokens: claudeMaxTokens,
    messages:
      commandLine.prompt === undefined ? [] : [{ role: 'user', content: commandLine.prompt }],
    stream: true,
  };
  if (system.length > 0) request.system = system;
  const thinkingBudget = Number(env.MAX_THINKING_TOKENS);
  if (Number.isInteger(thinkingBudget) && thinkingBudget >= 1024) {
    request.thinking = { type: 'enabled', budget_tokens: thinkingBudget };
    request.max_tokens = Math.max(claudeMaxTokens, thinkingBudget + 1);
  }
  return request;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
