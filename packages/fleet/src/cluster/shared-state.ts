import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '@conduit/core';
import type { Redis } from 'ioredis';
import { requireDependency } from './require-dependency.js';

/**
 * What instances tell each other over Redis pub/sub. `at` (epoch ms) is when the change happened
 * on the instance that announces it: a receiver ignores a change older than one it knows of.
 */
export type FleetEvent =
  | { type: 'key-changed'; id: string }
  | { type: 'circuit-open'; provider: string; model: string; openUntil: number; at?: number }
  | { type: 'circuit-closed'; provider: string; model: string; at: number }
  | {
      type: 'key-cooldown';
      provider: string;
      keyIndex: number;
      availableAt: number;
      status: number;
    };

/** A finished request's summary as another instance published it (for live views). */
export type PeerRequestListener = (summary: Record<string, unknown>, instance: string) => void;

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
  /** How the other instances' live views name this one (host and process, no secret). */
  readonly instanceName = `${hostname()}:${process.pid}`;
  readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly channel: string;
  /** Finished-request summaries: busier than `channel`, so only instances that show them listen. */
  private readonly requestsChannel: string;
  private readonly listeners: Array<(event: FleetEvent) => void> = [];
  private readonly requestListeners: PeerRequestListener[] = [];
  private readonly reconnectListeners: Array<() => void> = [];
  private downSince: number | null = null;
  private lastError: string | null = null;
  private everConnected = false;
  /** Whether the subscriber listens to the events channel (peers' announcements reach us). */
  private subscribed = false;
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
    this.requestsChannel = `${prefix}requests`;
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
      const channels = [this.channel];
      if (this.requestListeners.length > 0) channels.push(this.requestsChannel);
      this.subscriber
        .subscribe(...channels)
        .then(() => {
          this.subscribed = true;
        })
        .catch(() => undefined);
    });
    this.subscriber.on('close', () => {
      this.subscribed = false;
    });
    this.subscriber.on('message', (channel, message) => this.receive(channel, message));
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

  /**
   * Waits (up to `timeoutMs`) until commands can be sent and peers' events are heard; false if
   * Redis is not there yet.
   */
  async ready(timeoutMs = 2000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.connected && this.subscribed)) {
      if (Date.now() >= deadline) return this.connected;
      await new Promise(resolve => setTimeout(resolve, 20).unref());
    }
    return true;
  }

  onEvent(listener: (event: FleetEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Other instances' finished-request summaries (subscribes to them on first use). */
  onPeerRequest(listener: PeerRequestListener): void {
    this.requestListeners.push(listener);
    if (this.requestListeners.length === 1 && this.subscriber.status === 'ready') {
      this.subscriber.subscribe(this.requestsChannel).catch(() => undefined);
    }
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

  /**
   * Sends a finished request's summary to the instances showing live views. Fire and forget: a
   * live view may miss a request while Redis is down; the ledger does not.
   */
  publishRequest(summary: Record<string, unknown>): void {
    if (!this.connected) return;
    const message = JSON.stringify({
      origin: this.instanceId,
      instance: this.instanceName,
      summary,
    });
    this.commands.publish(this.requestsChannel, message).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    await this.commands.quit().catch(() => this.commands.disconnect());
  }

  private receive(channel: string, message: string): void {
    let parsed: { origin?: string; event?: FleetEvent; instance?: string; summary?: unknown };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.origin === this.instanceId) return;
    if (channel === this.channel && parsed.event) {
      const event = parsed.event;
      for (const listener of this.listeners) this.isolate(event.type, () => listener(event));
    } else if (
      channel === this.requestsChannel &&
      typeof parsed.summary === 'object' &&
      parsed.summary !== null
    ) {
      const summary = parsed.summary as Record<string, unknown>;
      const instance = typeof parsed.instance === 'string' ? parsed.instance : 'another instance';
      for (const listener of this.requestListeners) {
        this.isolate('request', () => listener(summary, instance));
      }
    }
  }

  /** A listener that throws must not break the subscriber connection or the other listeners. */
  private isolate(type: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.logger.warn('fleet: a fleet event listener failed', {
        type,
        message: error instanceof Error ? error.message : String(error),
      });
    }
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
