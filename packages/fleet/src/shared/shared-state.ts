import { randomUUID } from 'node:crypto';
import type { Logger } from '@conduit/core';
import type { Redis } from 'ioredis';
import { requireDependency } from './require-dependency.js';

/** What instances tell each other over Redis pub/sub. */
export type FleetEvent =
  | { type: 'key-changed'; id: string }
  | { type: 'circuit-open'; provider: string; model: string; openUntil: number };

/** Redis as the fleet sees it: up, or down since when and why. */
export interface SharedStateStatus {
  configured: boolean;
  connected: boolean;
  /** Redacted URL (no password). */
  location: string | null;
  /** When the connection was lost (ISO), while it is down. */
  downSince: string | null;
  lastError: string | null;
}

/**
 * The fleet's Redis: one command connection (offline queue off, so a command fails at once while
 * Redis is down instead of piling up) and one subscriber for the events channel. Reconnects
 * forever with a capped backoff; `onReconnect` listeners reconcile what happened meanwhile.
 */
export class SharedState {
  readonly instanceId = randomUUID();
  readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly channel: string;
  private readonly listeners: Array<(event: FleetEvent) => void> = [];
  private readonly reconnectListeners: Array<() => void> = [];
  private downSince: number | null = null;
  private lastError: string | null = null;
  private everConnected = false;
  readonly location: string;

  constructor(
    url: string,
    readonly prefix: string,
    private readonly logger: Logger,
  ) {
    const redacted = new URL(url);
    if (redacted.password) redacted.password = '***';
    this.location = redacted.toString();
    this.channel = `${prefix}events`;
    const options = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 500,
      connectTimeout: 2000,
      lazyConnect: false,
      retryStrategy: (times: number) => Math.min(50 * times, 1000),
    };
    const { Redis: RedisClient } = requireDependency('ioredis') as typeof import('ioredis');
    this.commands = new RedisClient(url, options);
    this.subscriber = new RedisClient(url, { ...options, commandTimeout: undefined });
    this.commands.on('ready', () => this.markUp());
    this.commands.on('error', error => this.markDown(error));
    this.commands.on('end', () => this.markDown(new Error('connection closed')));
    this.commands.on('close', () => this.markDown(new Error('connection closed')));
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(this.channel).catch(() => undefined);
    });
    this.subscriber.on('message', (channel, message) => {
      if (channel !== this.channel) return;
      let parsed: { origin?: string; event?: FleetEvent };
      try {
        parsed = JSON.parse(message) as typeof parsed;
      } catch {
        return;
      }
      if (!parsed.event || parsed.origin === this.instanceId) return;
      for (const listener of this.listeners) listener(parsed.event);
    });
  }

  get connected(): boolean {
    return this.commands.status === 'ready';
  }

  status(): SharedStateStatus {
    return {
      configured: true,
      connected: this.connected,
      location: this.location,
      downSince:
        this.connected || this.downSince === null ? null : new Date(this.downSince).toISOString(),
      lastError: this.connected ? null : this.lastError,
    };
  }

  /** Waits (up to `timeoutMs`) for the first connection; false if Redis is not there yet. */
  async ready(timeoutMs = 2000): Promise<boolean> {
    if (this.connected) return true;
    return new Promise(resolve => {
      const timer = setTimeout(() => resolve(this.connected), timeoutMs);
      timer.unref();
      this.commands.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  onEvent(listener: (event: FleetEvent) => void): void {
    this.listeners.push(listener);
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  /** Tells the other instances; a failure (Redis down) is logged, never thrown. */
  async publish(event: FleetEvent): Promise<void> {
    try {
      await this.commands.publish(this.channel, JSON.stringify({ origin: this.instanceId, event }));
    } catch (error) {
      this.logger.debug('fleet event not published (Redis unreachable)', {
        type: event.type,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    await this.commands.quit().catch(() => this.commands.disconnect());
  }

  private markUp(): void {
    const wasDown = this.downSince !== null;
    this.downSince = null;
    this.lastError = null;
    if (!this.everConnected) {
      this.everConnected = true;
      this.logger.info('fleet: Redis connected; limits and budgets are shared', {
        redis: this.location,
      });
    } else if (wasDown) {
      this.logger.warn('fleet: Redis is reachable again; limits are shared again', {
        redis: this.location,
      });
    }
    if (wasDown) for (const listener of this.reconnectListeners) listener();
  }

  private markDown(error: Error): void {
    this.lastError = error.message;
    if (this.downSince !== null) return;
    this.downSince = Date.now();
    this.logger.warn('fleet: Redis is unreachable; serving under local limits until it returns', {
      redis: this.location,
      message: error.message,
    });
  }
}
