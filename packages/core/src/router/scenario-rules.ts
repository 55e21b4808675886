import type { ParsedConduitConfig } from '../config/config-schema.js';
import type { RequestRoutingContext, RouteReason, RouteScenario } from '../types/routing.js';
import {
  hasWebSearchTool,
  lastUserMessageHasImage,
  requestModel,
  thinkingType,
} from './request-inspection.js';

/** A route chosen by a rule, before it is resolved against the providers. */
export interface RouteCandidate {
  route: string;
  reason: RouteReason;
  scenario: RouteScenario;
  confidence: number;
  /** Names the origin in error messages, e.g. `Router.think` or `The request model`. */
  origin: string;
  metadata?: Record<string, unknown>;
}

/** One line of `explain()`. */
export interface RoutingStep {
  rule: string;
  fired: boolean;
  detail: string;
}

/** What the built-in rules need. */
export interface ScenarioInputs {
  config: ParsedConduitConfig;
  context: RequestRoutingContext;
  tokenCount: number;
  /** Content of a `<CCR-SUBAGENT-MODEL>` tag, already removed from the prompt. */
  subagentRoute: string | undefined;
  /** Context tokens of this session's previous turn (CCR's `lastUsage`), when known. */
  previousContextTokens?: number;
  /** Where `config.Router` comes from when a project/session override replaced it. */
  routerSource?: string;
}

type ScenarioRule = (inputs: ScenarioInputs) => { candidate?: RouteCandidate; detail: string };

const scenarioConfidence = 0.9;

function scenario(
  name: RouteScenario,
  route: string,
  routerSource?: string,
): Pick<RouteCandidate, 'route' | 'reason' | 'scenario' | 'confidence' | 'origin'> {
  return {
    route,
    reason: name,
    scenario: name,
    confidence: scenarioConfidence,
    origin: routerSource ? `Router.${name} of ${routerSource}` : `Router.${name}`,
  };
}

/** CCR's second trigger applies only to requests above this size (`tokenCount > 20000`). */
export const previousTurnMinimumTokens = 20_000;

/**
 * The CCR-compatible rules after custom rules and the explicit model, in precedence order:
 * longContext → subagent tag → background → webSearch → think → image.
 */
export const scenarioRules: ReadonlyArray<{ name: string; evaluate: ScenarioRule }> = [
  {
    name: 'longContext',
    evaluate: ({ config, tokenCount, previousContextTokens, routerSource }) => {
      const { longContext, longContextThreshold } = config.Router;
      let comparison = `tokenCount ${tokenCount} ${tokenCount > longContextThreshold ? '>' : '<='} threshold ${longContextThreshold}`;
      // CCR's second trigger: the previous turn of the session was already over the threshold,
      // so a follow-up that counts smaller (e.g. cached or trimmed) stays on the long-context model.
      const previousTurnOver =
        previousContextTokens !== undefined &&
        previousContextTokens > longContextThreshold &&
        tokenCount > previousTurnMinimumTokens;
      if (previousContextTokens !== undefined) {
        comparison += `; previous turn ${previousContextTokens} ${previousContextTokens > longContextThreshold ? '>' : '<='} threshold`;
        if (previousContextTokens > longContextThreshold && !previousTurnOver)
          comparison += ` but tokenCount <= ${previousTurnMinimumTokens}`;
      }
      if (longContext === undefined)
        return { detail: `Router.longContext is not set (${comparison})` };
      if (tokenCount <= longContextThreshold && !previousTurnOver) return { detail: comparison };
      return { candidate: scenario('longContext', longContext, routerSource), detail: comparison };
    },
  },
  {
    name: 'subagent',
    evaluate: ({ subagentRoute }) => {
      if (subagentRoute === undefined)
        return { detail: 'no <CCR-SUBAGENT-MODEL> tag in the system prompt' };
      return {
        candidate: {
          route: subagentRoute,
          reason: 'subagent',
          scenario: 'default',
          confidence: 1,
          origin: 'The <CCR-SUBAGENT-MODEL> tag',
        },
        detail: `<CCR-SUBAGENT-MODEL> tag names "${subagentRoute}" (tag removed from the prompt)`,
      };
    },
  },
  {
    name: 'background',
    evaluate: ({ config, context }) => {
      const model = requestModel(context.request);
      const lower = model.toLowerCase();
      const isHaiku = lower.includes('claude') && lower.includes('haiku');
      const describeModel = `model "${model}" ${isHaiku ? 'is' : 'is not'} a Claude Haiku model`;
      if (config.Router.background === undefined)
        return { detail: `Router.background is not set (${describeModel})` };
      if (!isHaiku) return { detail: describeModel };
      return { candidate: scenario('background', config.Router.background), detail: describeModel };
    },
  },
  {
    name: 'webSearch',
    evaluate: ({ config, context, routerSource }) => {
      const present = hasWebSearchTool(context.request);
      const describeTools = present ? 'a web_search tool is present' : 'no web_search tool';
      if (config.Router.webSearch === undefined)
        return { detail: `Router.webSearch is not set (${describeTools})` };
      if (!present) return { detail: describeTools };
      return {
        candidate: scenario('webSearch', config.Router.webSearch, routerSource),
        detail: describeTools,
      };
    },
  },
  {
    name: 'think',
    evaluate: ({ config, context, routerSource }) => {
      const type = thinkingType(context.request);
      const { think, thinkOnAdaptive } = config.Router;
      const wantsThinking = type === 'enabled' || (type === 'adaptive' && thinkOnAdaptive);
      const describeThinking =
        type === undefined
          ? 'no thinking requested'
          : type === 'adaptive' && !thinkOnAdaptive
            ? 'thinking is "adaptive" and Router.thinkOnAdaptive is off'
            : `thinking is "${type}"`;
      if (think === undefined) return { detail: `Router.think is not set (${describeThinking})` };
      if (!wantsThinking) return { detail: describeThinking };
      return { candidate: scenario('think', think, routerSource), detail: describeThinking };
    },
  },
  {
    name: 'image',
    evaluate: ({ config, context }) => {
      const present = lastUserMessageHasImage(context.request);
      const describeImage = present
        ? 'the last user message has an image'
        : 'no image in the last user message';
      if (config.Router.image === undefined)
        return { detail: `Router.image is not set (${describeImage})` };
      if (!present) return { detail: describeImage };
      return { candidate: scenario('image', config.Router.image), detail: describeImage };
    },
  },
];
