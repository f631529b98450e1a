import Redis from 'ioredis';
import { logger } from '../logging/logger';

/** One request counted in a fixed window: how many the window holds now, and when it ends (epoch ms). */
export interface Hit {
  count: number;
  resetAt: number;
}

/** Counts requests per key per fixed window of `windowMs`, aligned on multiples of it. */
export interface RateLimitStore {
  hit(key: string, windowMs: number, now: number): Promise<Hit>;
  close(): Promise<void>;
}

export type RateLimitLog = (level: 'warn' | 'info', message: string, detail?: Record<string, unknown>) => void;

/** The process's JSON logger. */
export const processLog: RateLimitLog = (level, message, detail = {}) => logger[level]({ source: 'rate-limit', ...detail }, message);

function windowOf(windowMs: number, now: number): { index: number; resetAt: number } {
  const index = Math.floor(now / windowMs);
  return { index, resetAt: (index + 1) * windowMs };
}

/**
 * In this process only. Memory stays bounded: expired windows are pruned at most once per window,
 * and past `maxKeys` live keys the oldest is dropped (that caller starts a fresh window early, which
 * errs on the side of serving, never of refusing).
 */
export class MemoryStore implements RateLimitStore {
  private readonly windows = new Map<string, Hit>();
  private nextPrune = 0;

  constructor(private readonly maxKeys = 100_000) {}

  get size(): number {
    return this.windows.size;
  }

  async hit(key: string, windowMs: number, now: number): Promise<Hit> {
    if (now >= this.nextPrune) {
      this.prune(now);
      this.nextPrune = now + windowMs;
    }
    let entry = this.windows.get(key);
    if (!entry || entry.resetAt <= now) {
      this.windows.delete(key);
      if (this.windows.size >= this.maxKeys) {
        this.prune(now);
        if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
      }
      entry = { count: 0, resetAt: windowOf(windowMs, now).resetAt };
      this.windows.set(key, entry); // insertion order = age: the first key is the oldest window
    }
    entry.count += 1;
    return { count: entry.count, resetAt: entry.resetAt };
  }

  private prune(now: number): void {
    for (const [key, entry] of this.windows) if (entry.resetAt <= now) this.windows.delete(key);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }
}

/** INCR and, on a new key, PEXPIRE in one atomic step (a key can never be left without expiry). */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

/** Slack on the key's expiry for clocks that differ a little between instances. */
const EXPIRY_SLACK_MS = 1000;

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every key; `mijande:rl:` by default. */
  keyPrefix?: string;
  /** Used while Redis cannot be reached; a MemoryStore by default. */
  fallback?: RateLimitStore;
  log?: RateLimitLog;
  /** How long a connection attempt and a command may take before Redis counts as unreachable. */
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
}

type RedisWithHit = Redis & { rateLimitHit(key: string, ttlMs: number): Promise<number> };

/**
 * Shared by every instance that names the same Redis, so instances behind a load balancer share one
 * budget. The key holds the window's index, so instances agree on windows without coordinating.
 *
 * When Redis cannot be reached this FAILS OPEN, to the local MemoryStore, with a logged warning:
 * the limiter protects the API's availability, so an outage of Redis must not become an outage of
 * the API (failing closed would refuse every request), and counting locally still holds each caller
 * to the budget per instance (N instances: at most N times the budget) rather than to none.
 * Requests never wait on a dead Redis: no offline queue (commands fail at once while disconnected),
 * a short connect timeout, and a command timeout for a Redis that accepts but does not answer.
 */
export class RedisStore implements RateLimitStore {
  private readonly redis: RedisWithHit;
  private readonly keyPrefix: string;
  private readonly fallback: RateLimitStore;
  private readonly log: RateLimitLog;
  private readonly connectTimeoutMs: number;
  private connecting?: Promise<void>;
  private degradedSince?: number;
  private lastWarning = 0;
  private closed = false;

  constructor(options: RedisStoreOptions) {
    this.keyPrefix = options.keyPrefix ?? 'mijande:rl:';
    this.fallback = options.fallback ?? new MemoryStore();
    this.log = options.log ?? processLog;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 1000;
    this.redis = new Redis(options.url, {
      lazyConnect: true,
      connectTimeout: this.connectTimeoutMs,
      commandTimeout: options.commandTimeoutMs ?? 500,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectionName: 'mijande-rate-limit',
      disconnectTimeout: 100, // close() on a half-open connection: do not keep the process 2 s
    }) as RedisWithHit;
    this.redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    // Reconnection errors arrive here (every ≤ 2 s while Redis is down); without a listener ioredis prints them all.
    this.redis.on('error', (error: Error) => this.degraded(error));
  }

  async hit(key: string, windowMs: number, now: number): Promise<Hit> {
    if (this.closed) return this.fallback.hit(key, windowMs, now);
    // lazyConnect: the first requests wait for the connection, at most the connect timeout all told
    // (a Redis that accepts but never answers included); after that none waits for it: while it is
    // down, commands fail at once and the request is counted in this process.
    this.connecting ??= this.firstConnection();
    await this.connecting;
    const { index, resetAt } = windowOf(windowMs, now);
    try {
      const count = await this.redis.rateLimitHit(`${this.keyPrefix}${key}:${index}`, Math.max(1, resetAt - now) + EXPIRY_SLACK_MS);
      this.recovered();
      return { count: Number(count), resetAt };
    } catch (error) {
      this.degraded(error as Error);
      return this.fallback.hit(key, windowMs, now);
    }
  }

  private async firstConnection(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.connectTimeoutMs)));
    await Promise.race([this.redis.connect().catch(() => undefined), deadline]);
    clearTimeout(timer);
  }

  /** Whether the last attempt to reach Redis failed (requests are counted in this process meanwhile). */
  get isDegraded(): boolean {
    return this.degradedSince !== undefined;
  }

  private degraded(error: Error): void {
    if (this.closed) return;
    const now = Date.now();
    this.degradedSince ??= now;
    if (now - this.lastWarning < 60_000) return; // one warning a minute while the outage lasts
    this.lastWarning = now;
    this.log('warn', 'Rate limit store (Redis) unreachable: counting in this process only until it is back', { error: error.message });
  }

  private recovered(): void {
    if (this.degradedSince === undefined) return;
    this.log('info', 'Rate limit store (Redis) reachable again', { degradedForMs: Date.now() - this.degradedSince });
    this.degradedSince = undefined;
    this.lastWarning = 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
    await this.fallback.close();
  }
}
