import { parseToolArguments } from '../../common/parse-tool-arguments.js';
import type { TransformerDefinition } from '../transformer-types.js';
import { noOptionsProblems } from './transformer-options.js';

type ToolCallDelta = {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
};
type ChatChoice = {
  index?: number;
  delta?: { content?: unknown; tool_calls?: ToolCallDelta[]; [key: string]: unknown };
  message?: { content?: unknown; tool_calls?: ToolCallDelta[]; [key: string]: unknown };
  finish_reason?: string | null;
};

const exitToolName = 'ExitTool';

const toolModeReminder = `<system-reminder>Tool mode is active. The user expects you to proactively execute the most suitable tool to help complete the task.
Before invoking a tool, you must carefully evaluate whether it matches the current task. If no available tool is appropriate for the task, you MUST call the \`ExitTool\` to exit tool mode — this is the only valid way to terminate tool mode.
Always prioritize completing the user's task effectively and efficiently by using tools whenever appropriate.</system-reminder>`;

const exitTool = {
  type: 'function',
  function: {
    name: exitToolName,
    description: `Use this tool when you are in tool mode and have completed the task. This is the only valid way to exit tool mode.
IMPORTANT: Before using this tool, ensure that none of the available tools are applicable to the current task. You must evaluate all available options — only if no suitable tool can help you complete the task should you use ExitTool to terminate tool mode.`,
    parameters: {
      type: 'object',
      properties: {
        response: {
          type: 'string',
          description:
            'Your response will be forwarded to the user exactly as returned — the tool will not modify or post-process it in any way.',
        },
      },
      required: ['response'],
    },
  },
};

function exitToolText(argumentsText: string | undefined): string {
  const { input } = parseToolArguments(argumentsText);
  return typeof input.response === 'string' ? input.response : '';
}

/**
 * `tooluse` (CCR): "tool mode" for models that answer in prose instead of calling tools (DeepSeek):
 * a system reminder, `tool_choice: "required"` and an `ExitTool` the model calls to answer in
 * text. An `ExitTool` call comes back as plain text (JSON and streams) and the turn ends with
 * `end_turn`, so the client never sees the extra tool.
 */
export const tooluseTransformer: TransformerDefinition = {
  name: 'tooluse',
  description: 'Tool mode: tool_choice required plus an ExitTool that comes back as text.',
  validateOptions: options => noOptionsProblems('tooluse', options),
  create: () => ({
    name: 'tooluse',
    transformRequestBody: body => {
      if (!Array.isArray(body.messages)) return body;
      body.messages.push({ role: 'system', content: toolModeReminder });
      if (Array.isArray(body.tools) && body.tools.length > 0) {
        body.tool_choice = 'required';
        body.tools.push(structuredClone(exitTool));
      }
      return body;
    },
    transformResponseBody: body => {
      const choice = (body.choices as ChatChoice[] | undefined)?.[0];
      const calls = choice?.message?.tool_calls;
      const exit = calls?.find(call => call.function?.name === exitToolName);
      if (!choice?.message || !calls || !exit) return body;
      const rest = calls.filter(call => call !== exit);
      const text = exitToolText(exit.function?.arguments);
      const existing = typeof choice.message.content === 'string' ? choice.message.content : '';
      choice.message.content = existing ? `${existing}\n\n${text}` : text;
      if (rest.length > 0) choice.message.tool_calls = rest;
      else {
        delete choice.message.tool_calls;
        choice.finish_reason = 'stop';
      }
      return body;
    },
    createStreamTransform: () => {
      let exitIndex: number | undefined;
      let exitArguments = '';
      let otherCalls = false;
      let base: Record<string, unknown> = {};
      return {
        transform(data) {
          base = { id: data.id, model: data.model, object: data.object };
          const choice = (data.choices as ChatChoice[] | undefined)?.[0];
          const calls = choice?.delta?.tool_calls;
          if (choice?.delta && calls) {
            const kept: ToolCallDelta[] = [];
            calls.forEach((call, position) => {
              const index = call.index ?? position;
              if (call.function?.name === exitToolName) exitIndex = index;
              if (index === exitIndex) exitArguments += call.function?.arguments ?? '';
              else {
                otherCalls = true;
                kept.push(call);
              }
            });
            if (kept.length > 0) choice.delta.tool_calls = kept;
            else delete choice.delta.tool_calls;
          }
          if (!choice?.finish_reason || exitIndex === undefined) return [data];
          // The turn ends: the ExitTool answer becomes text, then the finish.
          if (!otherCalls) choice.finish_reason = 'stop';
          const text = {
            ...base,
            choices: [
              { index: 0, delta: { content: exitToolText(exitArguments) }, finish_reason: null },
            ],
          };
          exitIndex = undefined;
          return [text, data];
        },
      };
    },
  }),
};

interface BufferedCall {
  id?: string;
  name?: string;
  arguments: string;
}

/**
 * `enhancetool` (CCR): repairs malformed tool-call JSON from weaker models (trailing commas, single
 * quotes, cut-off braces) with `jsonrepair`; what cannot be repaired becomes `{}`. In streams the
 * argument fragments are buffered and each call is sent whole, repaired, when the turn finishes
 * (so tool arguments no longer stream, as in CCR).
 */
export const enhancetoolTransformer: TransformerDefinition = {
  name: 'enhancetool',
  description: 'Repairs malformed tool-call arguments (buffers them in streams).',
  validateOptions: options => noOptionsProblems('enhancetool', options),
  create: () => ({
    name: 'enhancetool',
    transformResponseBody: body => {
      const choice = (body.choices as ChatChoice[] | undefined)?.[0];
      for (const call of choice?.message?.tool_calls ?? []) {
        if (call.function)
          call.function.arguments = JSON.stringify(
            parseToolArguments(call.function.arguments).input,
          );
      }
      return body;
    },
    createStreamTransform: () => {
      const calls = new Map<number, BufferedCall>();
      let base: Record<string, unknown> = {};
      const release = (): Record<string, unknown>[] => {
        if (calls.size === 0) return [];
        const toolCalls = [...calls.entries()].map(([index, call]) => ({
          index,
          id: call.id,
          type: 'function',
          function: {
            name: call.name,
            arguments: JSON.stringify(parseToolArguments(call.arguments).input),
          },
        }));
        calls.clear();
        return [
          {
            ...base,
            choices: [{ index: 0, delta: { tool_calls: toolCalls }, finish_reason: null }],
          },
        ];
      };
      return {
        transform(data) {
          base = { id: data.id, model: data.model, object: data.object };
          const choice = (data.choices as ChatChoice[] | undefined)?.[0];
          const deltas = choice?.delta?.tool_calls;
          if (choice?.delta && deltas) {
            deltas.forEach((delta, position) => {
              const index = delta.index ?? position;
              const call = calls.get(index) ?? { arguments: '' };
              if (delta.id) call.id ??= delta.id;
              if (delta.function?.name) call.name ??= delta.function.name;
              call.arguments += delta.function?.arguments ?? '';
              calls.set(index, call);
            });
            delete choice.delta.tool_calls;
            const meaningful = Object.entries(choice.delta).some(
              ([key, value]) => key !== 'role' && value !== null && value !== '',
            );
            if (!meaningful && !choice.finish_reason && !data.usage) return [];
          }
          if (choice?.finish_reason) return [...release(), data];
          return [data];
        },
        flush: release,
      };
    },
  }),
};
