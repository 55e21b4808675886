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

/**
 * A built-in rule: `decide` is all routing runs; `describe` says why it fired or not, for
 * `explain()` only (routing a request does not format these sentences).
 */
export interface ScenarioRule {
  name: string;
  decide(inputs: ScenarioInputs): RouteCandidate | undefined;
  describe(inputs: ScenarioInputs): string;
}

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

function isLongContext(inputs: ScenarioInputs): boolean {
  const { longContextThreshold } = inputs.config.Router;
  const { tokenCount, previousContextTokens } = inputs;
  // CCR's second trigger: the previous turn of the session was already over the threshold,
  // so a follow-up that counts smaller (e.g. cached or trimmed) stays on the long-context model.
  const previousTurnOver =
    previousContextTokens !== undefined &&
    previousContextTokens > longContextThreshold &&
    tokenCount > previousTurnMinimumTokens;
  return tokenCount > longContextThreshold || previousTurnOver;
}

function describeLongContext(inputs: ScenarioInputs): string {
  const { longContext, longContextThreshold } = inputs.config.Router;
  const { tokenCount, previousContextTokens } = inputs;
  let comparison = `tokenCount ${tokenCount} ${tokenCount > longContextThreshold ? '>' : '<='} threshold ${longContextThreshold}`;
  if (previousContextTokens !== undefined) {
    comparison += `; previous turn ${previousContextTokens} ${previousContextTokens > longContextThreshold ? '>' : '<='} threshold`;
    const previousTurnOver =
      previousContextTokens > longContextThreshold && tokenCount > previousTurnMinimumTokens;
    if (previousContextTokens > longContextThreshold && !previousTurnOver)
      comparison += ` but tokenCount <= ${previousTurnMinimumTokens}`;
  }
  return longContext === undefined ? `Router.longContext is not set (${comparison})` : comparison;
}

function isHaikuModel(model: string): boolean {
  const lower = model.toLowerCase();
  return lower.includes('claude') && lower.includes('haiku');
}

function describeThinking(type: string | undefined, thinkOnAdaptive: boolean | undefined): string {
  if (type === undefined) return 'no thinking requested';
  if (type === 'adaptive' && !thinkOnAdaptive) {
    return 'thinking is "adaptive" and Router.thinkOnAdaptive is off';
  }
  return `thinking is "${type}"`;
}

/**
 * The CCR-compatible rules after custom rules and the explicit model, in precedence order:
 * longContext → subagent tag → background → webSearch → think → image.
 */
export const scenarioRules: ReadonlyArray<ScenarioRule> = [
  {
    name: 'longContext',
    decide: inputs => {
      const { longContext } = inputs.config.Router;
      if (longContext === undefined || !isLongContext(inputs)) return undefined;
      return scenario('longContext', longContext, inputs.routerSource);
    },
    describe: describeLongContext,
  },
  {
    name: 'subagent',
    decide: ({ subagentRoute }) =>
      subagentRoute === undefined
        ? undefined
        : {
            route: subagentRoute,
            reason: 'subagent',
            scenario: 'default',
            confidence: 1,
            origin: 'The <CCR-SUBAGENT-MODEL> tag',
          },
    describe: ({ subagentRoute }) =>
      subagentRoute === undefined
        ? 'no <CCR-SUBAGENT-MODEL> tag in the system prompt'
        : `<CCR-SUBAGENT-MODEL> tag names "${subagentRoute}" (tag removed from the prompt)`,
  },
  {
    name: 'background',
    decide: ({ config, context }) => {
      const { background } = config.Router;
      if (background === undefined || !isHaikuModel(requestModel(context.request))) {
        return undefined;
      }
      return scenario('background', background);
    },
    describe: ({ config, context }) => {
      const model = requestModel(context.request);
      const describeModel = `model "${model}" ${isHaikuModel(model) ? 'is' : 'is not'} a Claude Haiku model`;
      return config.Router.background === undefined
        ? `Router.background is not set (${describeModel})`
        : describeModel;
    },
  },
  {
    name: 'webSearch',
    decide: ({ config, context, routerSource }) => {
      const { webSearch } = config.Router;
      if (webSearch === undefined || !hasWebSearchTool(context.request)) return undefined;
      return scenario('webSearch', webSearch, routerSource);
    },
    describe: ({ config, context }) => {
      const describeTools = hasWebSearchTool(context.request)
        ? 'a web_search tool is present'
        : 'no web_search tool';
      return config.Router.webSearch === undefined
        ? `Router.webSearch is not set (${describeTools})`
        : describeTools;
    },
  },
  {
    name: 'think',
    decide: ({ config, context, routerSource }) => {
      const { think, thinkOnAdaptive } = config.Router;
      if (think === undefined) return undefined;
      const type = thinkingType(context.request);
      const wantsThinking = type === 'enabled' || (type === 'adaptive' && thinkOnAdaptive);
      return wantsThinking ? scenario('think', think, routerSource) : undefined;
    },
    describe: ({ config, context }) => {
      const { think, thinkOnAdaptive } = config.Router;
      const described = describeThinking(thinkingType(context.request), thinkOnAdaptive);
      return think === undefined ? `Router.think is not set (${described})` : described;
    },
  },
  {
    name: 'image',
    decide: ({ config, context }) => {
      const { image } = config.Router;
      if (image === undefined || !lastUserMessageHasImage(context.request)) return undefined;
      return scenario('image', image);
    },
    describe: ({ config, context }) => {
      const describeImage = lastUserMessageHasImage(context.request)
        ? 'the last user message has an image'
        : 'no image in the last user message';
      return config.Router.image === undefined
        ? `Router.image is not set (${describeImage})`
        : describeImage;
    },
  },
];
