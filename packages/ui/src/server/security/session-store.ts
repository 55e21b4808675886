import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie holding a UI session: HttpOnly, SameSite=Strict, never readable by scripts. */
export const sessionCookieName = 'conduit_ui_session';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Compares a presented key with the configured one in constant time (both hashed first, so
 * neither the key nor its length leaks through timing).
 */
export function secretMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * In-memory UI sessions: a random 256-bit token per login, stored as its SHA-256 (a heap dump
 * does not hand out live cookies), bound to the API key it was opened with, so changing `APIKEY`
 * logs every browser out.
 */
export class SessionStore {
  private readonly sessions = new Map<string, { expiresAt: number; keyDigest: string }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** Opens a session; returns the cookie value. */
  open(apiKey: string): string {
    this.prune();
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(digest(token).toString('hex'), {
      expiresAt: this.now() + this.ttlMs,
      keyDigest: digest(apiKey).toString('hex'),
    });
    return token;
  }

  /** Whether `token` is a live session opened with the current `apiKey`. */
  isValid(token: string | undefined, apiKey: string): boolean {
    if (!token) return false;
    const session = this.sessions.get(digest(token).toString('hex'));
    if (!session) return false;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(digest(token).toString('hex'));
      return false;
    }
    return session.keyDigest === digest(apiKey).toString('hex');
  }

  close(token: string | undefined): void {
    if (token) this.sessions.delete(digest(token).toString('hex'));
  }

  /** Seconds a new session lasts (the cookie's Max-Age). */
  get maxAgeSeconds(): number {
    return Math.floor(this.ttlMs / 1000);
  }

  private prune(): void {
    const now = this.now();
    for (const [key, session] of this.sessions) {
      if (session.expiresAt <= now) this.sessions.delete(key);
    }
  }
}
