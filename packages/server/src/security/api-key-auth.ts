import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthenticatedPrincipal, CredentialAuthenticator } from '@conduit/core';
import type { Context } from 'hono';
import type { ConduitEnv } from '../conduit-env.js';
import { AuthenticationError } from '../errors/authentication-error.js';

/** Decides, per request, whether a path is reachable without the API key. */
export type PublicRoutePredicate = (method: string, path: string) => boolean;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Compares a presented key with the configured one in constant time. Both sides are hashed first,
 * so the comparison takes the same time whatever the lengths (a length check would leak the key's
 * length, and `timingSafeEqual` needs equal-length inputs).
 */
export function apiKeyMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), expectedDigest(expected));
}

// The configured key is the same on every request: its digest is kept (the last one only).
let lastExpected: string | undefined;
let lastExpectedDigest: Buffer | undefined;

function expectedDigest(expected: string): Buffer {
  if (expected !== lastExpected || !lastExpectedDigest) {
    lastExpectedDigest = digest(expected);
    lastExpected = expected;
  }
  return lastExpectedDigest;
}

/**
 * The credentials a client presented: `x-api-key` (what the Anthropic SDK sends for
 * `ANTHROPIC_API_KEY`) and `Authorization: Bearer …` (`ANTHROPIC_AUTH_TOKEN`; claude-code-router
 * also accepts the bare value, and so do we).
 */
export function presentedCredentials(headers: Headers): string[] {
  const credentials: string[] = [];
  const apiKey = headers.get('x-api-key')?.trim();
  if (apiKey) credentials.push(apiKey);
  const authorization = headers.get('authorization')?.trim();
  if (authorization) {
    const bearer = /^bearer\s+(.+)$/i.exec(authorization);
    credentials.push((bearer ? bearer[1]! : authorization).trim());
  }
  return credentials;
}

/** The principal of the config's `APIKEY`. */
export const masterPrincipal: AuthenticatedPrincipal = { kind: 'master', id: 'master' };

/** Answers the request once it is let in (the next middleware or route). */
type Admit = () => Promise<void | Response>;

/**
 * Inbound authentication with the config's `APIKEY` (`expected`, read per request by the caller,
 * so a config reload applies at once). Without `APIKEY` every request passes. Public routes
 * (health, `HEAD /`) always pass. Failures throw {@link AuthenticationError}: the one error
 * handler answers 401 in Anthropic's shape.
 *
 * With an `authenticate` hook (virtual keys), a credential that is not `APIKEY` is offered to it:
 * the principal it returns is accepted (and stored as `conduitPrincipal` for the request), and a
 * refusal it throws (a revoked key) is the answer — with or without `APIKEY`.
 */
export function createAPIKeyAuth(options: {
  isPublic: PublicRoutePredicate;
  authenticate?: CredentialAuthenticator;
}): (
  context: Context<ConduitEnv>,
  admit: Admit,
  expected: string | undefined,
) => Promise<void | Response> {
  const authenticate = options.authenticate;
  const authenticateOthers = async (
    context: Context<ConduitEnv>,
    admit: Admit,
    expected: string | undefined,
    credentials: string[],
    method: string,
    path: string,
  ): Promise<void | Response> => {
    if (authenticate) {
      for (const credential of credentials) {
        const principal = await authenticate(credential, { method, path });
        if (principal) {
          context.set('conduitPrincipal', principal);
          return admit();
        }
      }
    }
    if (!expected) return admit();
    if (credentials.length === 0) {
      throw new AuthenticationError({
        message:
          'This Conduit requires an API key. Send the APIKEY from its config as the x-api-key header or as Authorization: Bearer <key> (ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN for Claude Code).',
      });
    }
    // Every credential is compared (no short-circuit) so timing does not tell which header matched.
    let accepted = false;
    for (const credential of credentials) {
      if (apiKeyMatches(credential, expected)) accepted = true;
    }
    if (!accepted) throw new AuthenticationError({ message: 'Invalid API key.' });
    return admit();
  };
  return (context, admit, expected) => {
    // Nothing to check: every route passes, public or not.
    if (!expected && !authenticate) return admit();
    const method = context.req.method;
    const path = context.req.path;
    if (options.isPublic(method, path)) return admit();
    const credentials = presentedCredentials(context.req.raw.headers);
    if (expected && credentials.some(credential => apiKeyMatches(credential, expected))) {
      context.set('conduitPrincipal', masterPrincipal);
      return admit();
    }
    return authenticateOthers(context, admit, expected, credentials, method, path);
  };
}
