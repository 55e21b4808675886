import type { Redis } from 'ioredis';
import type {
  AcquireRequest,
  AcquireResult,
  LimitBackend,
  LimitReason,
  LimitWindows,
  SeedSpend,
  Settlement,
} from './limit-types.js';
import { microsPerUsd } from './limit-types.js';
import { dayKey, leaseKey, monthKey, requestKey, tokenKey } from './local-limit-backend.js';

/**
 * Checks every scope, then (only if all pass) counts the request in all of them, in one atomic
 * script: no instance can slip between another's check and increment.
 * KEYS: 5 per scope (requests, tokens, leases, day spend, month spend).
 * ARGV: now, windowEnd, leaseMs, ticket, estimate, dayEnd, monthEnd, then 5 per scope
 * (rpm, tpm, concurrency, daily and monthly budget in micro-USD; 0 = none).
 */
const acquireScript = `
local now = tonumber(ARGV[1]); local windowEnd = tonumber(ARGV[2]); local leaseMs = tonumber(ARGV[3])
local ticket = ARGV[4]; local estimate = tonumber(ARGV[5])
local dayEnd = tonumber(ARGV[6]); local monthEnd = tonumber(ARGV[7])
local scopes = #KEYS / 5
local usage = {}
for i = 0, scopes - 1 do
  local k = i * 5; local a = 7 + i * 5
  local rpm = tonumber(ARGV[a + 1]); local tpm = tonumber(ARGV[a + 2]); local conc = tonumber(ARGV[a + 3])
  local daily = tonumber(ARGV[a + 4]); local monthly = tonumber(ARGV[a + 5])
  local requests = tonumber(redis.call('GET', KEYS[k + 1]) or '0')
  local tokens = tonumber(redis.call('GET', KEYS[k + 2]) or '0')
  if rpm > 0 and requests + 1 > rpm then return {0, 'requests', i, windowEnd - now} end
  if tpm > 0 and tokens > 0 and tokens + estimate > tpm then return {0, 'tokens', i, windowEnd - now} end
  if conc > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[k + 3], '-inf', now)
    if redis.call('ZCARD', KEYS[k + 3]) >= conc then return {0, 'concurrency', i, 1000} end
  end
  if daily > 0 and tonumber(redis.call('GET', KEYS[k + 4]) or '0') >= daily then
    return {0, 'budget-daily', i, dayEnd - now}
  end
  if monthly > 0 and tonumber(redis.call('GET', KEYS[k + 5]) or '0') >= monthly then
    return {0, 'budget-monthly', i, monthEnd - now}
  end
  usage[#usage + 1] = requests
  usage[#usage + 1] = tokens
end
local windowTtl = windowEnd - now + 1000
for i = 0, scopes - 1 do
  local k = i * 5; local a = 7 + i * 5
  redis.call('INCR', KEYS[k + 1]); redis.call('PEXPIRE', KEYS[k + 1], windowTtl)
  redis.call('INCRBY', KEYS[k + 2], estimate); redis.call('PEXPIRE', KEYS[k + 2], windowTtl)
  if tonumber(ARGV[a + 3]) > 0 then
    redis.call('ZADD', KEYS[k + 3], now + leaseMs, ticket); redis.call('PEXPIRE', KEYS[k + 3], leaseMs)
  end
end
return {1, '', 0, 0, unpack(usage)}
`;

/**
 * Applies a finished request: token correction, lease release, spend.
 * KEYS: 4 per scope (tokens, leases, day spend, month spend).
 * ARGV: tokenDelta, costMicros, ticket, windowTtl, dayTtl, monthTtl.
 */
const settleScript = `
local delta = tonumber(ARGV[1]); local cost = tonumber(ARGV[2]); local ticket = ARGV[3]
for i = 0, #KEYS / 4 - 1 do
  local k = i * 4
  if delta ~= 0 and redis.call('EXISTS', KEYS[k + 1]) == 1 then redis.call('INCRBY', KEYS[k + 1], delta) end
  redis.call('ZREM', KEYS[k + 2], ticket)
  if cost > 0 then
    redis.call('INCRBY', KEYS[k + 3], cost); redis.call('PEXPIRE', KEYS[k + 3], tonumber(ARGV[5]))
    redis.call('INCRBY', KEYS[k + 4], cost); redis.call('PEXPIRE', KEYS[k + 4], tonumber(ARGV[6]))
  end
end
return 1
`;

type ScriptedRedis = Redis & {
  conduitAcquire(...args: Array<string | number>): Promise<Array<number | string>>;
  conduitSettle(...args: Array<string | number>): Promise<number>;
};

const dayMs = 86_400_000;

/** Limit counters in Redis, shared by every instance; each check is one atomic Lua script call. */
export class RedisLimitBackend implements LimitBackend {
  readonly kind = 'redis' as const;
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    if (!('conduitAcquire' in redis)) {
      redis.defineCommand('conduitAcquire', { lua: acquireScript });
      redis.defineCommand('conduitSettle', { lua: settleScript });
    }
    this.redis = redis as ScriptedRedis;
  }

  async acquire(request: AcquireRequest): Promise<AcquireResult> {
    const { windows } = request;
    const keys: string[] = [];
    const limits: number[] = [];
    for (const scope of request.scopes) {
      keys.push(
        this.prefix + requestKey(scope.id, windows),
        this.prefix + tokenKey(scope.id, windows),
        this.prefix + leaseKey(scope.id),
        this.prefix + dayKey(scope.id, windows),
        this.prefix + monthKey(scope.id, windows),
      );
      const { rpm, tpm, concurrency, budgetDaily, budgetMonthly } = scope.limits;
      limits.push(
        rpm ?? 0,
        tpm ?? 0,
        concurrency ?? 0,
        Math.round((budgetDaily ?? 0) * microsPerUsd),
        Math.round((budgetMonthly ?? 0) * microsPerUsd),
      );
    }
    const reply = await this.redis.conduitAcquire(
      keys.length,
      ...keys,
      windows.now,
      windows.windowEnd,
      request.leaseMs,
      request.ticketId,
      Math.max(0, Math.round(request.estimatedTokens)),
      windows.dayEnd,
      windows.monthEnd,
      ...limits,
    );
    if (Number(reply[0]) !== 1) {
      return {
        allowed: false,
        reason: String(reply[1]) as LimitReason,
        scopeIndex: Number(reply[2]),
        retryAfterMs: Math.max(0, Number(reply[3])),
      };
    }
    const usage = [];
    for (let index = 4; index < reply.length; index += 2) {
      usage.push({ requests: Number(reply[index]), tokens: Number(reply[index + 1]) });
    }
    return { allowed: true, usage };
  }

  async settle(settlement: Settlement): Promise<void> {
    const { windows } = settlement;
    const keys: string[] = [];
    for (const scope of settlement.scopes) {
      keys.push(
        this.prefix + tokenKey(scope.id, windows),
        this.prefix + leaseKey(scope.id),
        this.prefix + dayKey(scope.id, windows),
        this.prefix + monthKey(scope.id, windows),
      );
    }
    await this.redis.conduitSettle(
      keys.length,
      ...keys,
      Math.round(settlement.tokenDelta),
      Math.max(0, Math.round(settlement.costMicros)),
      settlement.ticketId,
      windows.windowEnd - windows.now + 1000,
      windows.dayEnd - windows.now + dayMs,
      windows.monthEnd - windows.now + dayMs,
    );
  }

  async seedSpend(scopeId: string, windows: LimitWindows, spend: SeedSpend): Promise<void> {
    await this.redis
      .multi()
      .set(
        this.prefix + dayKey(scopeId, windows),
        Math.round(spend.dayMicros),
        'PX',
        windows.dayEnd - windows.now + dayMs,
        'NX',
      )
      .set(
        this.prefix + monthKey(scopeId, windows),
        Math.round(spend.monthMicros),
        'PX',
        windows.monthEnd - windows.now + dayMs,
        'NX',
      )
      .exec();
  }

  async addSpend(scopeId: string, windows: LimitWindows, costMicros: number): Promise<void> {
    if (costMicros <= 0) return;
    await this.redis
      .multi()
      .incrby(this.prefix + dayKey(scopeId, windows), Math.round(costMicros))
      .pexpire(this.prefix + dayKey(scopeId, windows), windows.dayEnd - windows.now + dayMs)
      .incrby(this.prefix + monthKey(scopeId, windows), Math.round(costMicros))
      .pexpire(this.prefix + monthKey(scopeId, windows), windows.monthEnd - windows.now + dayMs)
      .exec();
  }

  async readSpend(scopeId: string, windows: LimitWindows): Promise<SeedSpend> {
    const [day, month] = await this.redis.mget(
      this.prefix + dayKey(scopeId, windows),
      this.prefix + monthKey(scopeId, windows),
    );
    return { dayMicros: Number(day ?? 0) || 0, monthMicros: Number(month ?? 0) || 0 };
  }
}
