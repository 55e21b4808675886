/**
 * The `Router` slots `conduit model` edits and the `provider,model` choices for them, read from
 * the config as written (CCR's `Providers` or Conduit's lower-case `providers`).
 * @module
 */
import { type RouteScenario, routeScenarios } from '@conduit/conduit';
import { CLIError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';

/** CCR's Router scenarios (core's route-holding slots), in the order `ccr model` shows them. */
export const routerSlots = routeScenarios;
export type RouterSlot = RouteScenario;

export const slotDescriptions: Record<RouterSlot, string> = {
  default: 'every request no other rule routes',
  background: "Claude Code's background requests (Claude Haiku model names)",
  think: 'requests with thinking enabled',
  longContext: 'requests above longContextThreshold tokens',
  webSearch: 'requests carrying a web_search tool',
  image: 'requests whose last user message has an image',
};

/** A provider entry as written in the config. */
export interface WrittenProvider {
  name: string;
  models: string[];
}

function providerList(raw: Record<string, unknown>): unknown[] {
  const list = raw.Providers ?? raw.providers;
  return Array.isArray(list) ? list : [];
}

export function writtenProviders(raw: Record<string, unknown>): WrittenProvider[] {
  return providerList(raw).flatMap(entry => {
    const provider = entry as { name?: unknown; models?: unknown };
    if (typeof provider.name !== 'string') return [];
    const models = Array.isArray(provider.models)
      ? provider.models.filter((model): model is string => typeof model === 'string')
      : [];
    return [{ name: provider.name, models }];
  });
}

/** Every `provider,model` the config offers. */
export function routeChoices(raw: Record<string, unknown>): string[] {
  return writtenProviders(raw).flatMap(provider =>
    provider.models.map(model => `${provider.name},${model}`),
  );
}

export function readRouter(raw: Record<string, unknown>): Record<string, unknown> {
  const router = raw.Router;
  return router !== null && typeof router === 'object' && !Array.isArray(router)
    ? (router as Record<string, unknown>)
    : {};
}

/** Checks the slot name (a usage error lists the slots). */
export function assertRouterSlot(
  slot: string,
): asserts slot is RouterSlot | 'longContextThreshold' {
  if ((routerSlots as readonly string[]).includes(slot) || slot === 'longContextThreshold') return;
  throw new CLIError({
    message: `unknown Router slot "${slot}". Slots: ${routerSlots.join(', ')}, longContextThreshold.`,
    exitCode: exitCodes.usage,
  });
}

/**
 * A copy of `raw` with `Router[slot]` set (`undefined` removes it). `longContextThreshold` takes a
 * positive whole number of tokens.
 */
export function withRouterSlot(
  raw: Record<string, unknown>,
  slot: RouterSlot | 'longContextThreshold',
  value: string | undefined,
): Record<string, unknown> {
  const router = { ...readRouter(raw) };
  if (value === undefined) delete router[slot];
  else if (slot === 'longContextThreshold') {
    const tokens = Number(value);
    if (!Number.isInteger(tokens) || tokens <= 0) {
      throw new CLIError({
        message: `longContextThreshold must be a positive whole number of tokens, not "${value}"`,
        exitCode: exitCodes.usage,
      });
    }
    router[slot] = tokens;
  } else router[slot] = value;
  return { ...raw, Router: router };
}

/** A copy of `raw` with one more provider (in whichever spelling the file already uses). */
export function withProvider(
  raw: Record<string, unknown>,
  provider: Record<string, unknown>,
): Record<string, unknown> {
  const key =
    raw.Providers === undefined && raw.providers !== undefined ? 'providers' : 'Providers';
  return { ...raw, [key]: [...providerList(raw), provider] };
}
