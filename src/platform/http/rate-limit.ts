import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIPv6 } from 'node:net';
import { JwtSettings, verifyTokenOnce } from '../auth/tokens';
import type { Config } from '../config';
import { MemoryStore, RateLimitLog, RateLimitStore, RedisStore } from './rate-limit-store';
import { header, PreHandler, RequestInfo, sendError } from './request';

export interface RateLimitOptions {
  /** Requests per window for each verified token subject. */
  perSubject: number;
  /** Requests per window for each address without a verified token (anonymous, or a token that does not verify). */
  perAddress: number;
  /** Window length; one minute by default. */
  windowMs?: number;
  jwt: JwtSettings;
  /** Where the counts live; a MemoryStore by default. Closed with the limiter. */
  store?: RateLimitStore;
  /** The clock, in epoch ms. */
  now?: () => number;
  /** Only these paths are limited: health checks (/healthz, /readyz) never are. */
  paths?: readonly string[];
  /** Told of each request refused with 429, by how its caller was counted (a metrics counter's hook). */
  onRefusal?: (caller: 'subject' | 'address') => void;
}

/** A pre-handler that answers 429 past the budget, and owns its store (close it when done). */
export type RateLimiter = PreHandler & { close(): Promise<void>; store: RateLimitStore };

/**
 * Fixed-window limits on `/graphql`: a caller with a VERIFIED token is counted by its `sub`; every
 * other caller by its address. A token that does not verify (forged, expired, another issuer's)
 * counts against the address, like no token: whoever cannot sign a token can neither spend a
 * victim's budget by naming the victim's `sub` nor get a fresh budget per made-up `sub`.
 * Past the budget: 429, `Retry-After` (whole seconds until the window ends, at least 1) and a
 * GraphQL-style RATE_LIMITED error. A fixed window lets a caller spend up to twice the budget
 * across a window boundary; that is the price of one atomic counter per caller.
 */
export function rateLimiter(options: RateLimitOptions): RateLimiter {
  const windowMs = options.windowMs ?? 60_000;
  const store = options.store ?? new MemoryStore();
  const now = options.now ?? Date.now;
  const paths = new Set(options.paths ?? ['/graphql']);

  const handler = async (req: IncomingMessage, res: ServerResponse, info: RequestInfo): Promise<boolean> => {
    if (!paths.has(new URL(req.url ?? '/', 'http://localhost').pathname)) return false;
    const sub = await verifiedSubject(req, header(req, 'authorization'), options.jwt);
    const [key, limit] = sub !== undefined ? [`sub:${sub}`, options.perSubject] : [`ip:${addressKey(info.ip)}`, options.perAddress];
    const at = now();
    const { count, resetAt } = await store.hit(key, windowMs, at);
    if (count <= limit) return false;
    options.onRefusal?.(sub !== undefined ? 'subject' : 'address');
    const retryAfter = Math.max(1, Math.ceil((resetAt - at) / 1000));
    sendError(res, 429, 'RATE_LIMITED', `Too many requests: try again in ${retryAfter} s`, info, {
      'retry-after': String(retryAfter),
      'x-request-id': info.id,
    });
    return true;
  };
  return Object.assign(handler, { store, close: () => store.close() });
}

/** The limiter `startServer` uses unless given its own pre-handlers: in memory, or shared through Redis when REDIS_URL is set. */
export function rateLimiterFromConfig(config: Config, log?: RateLimitLog, onRefusal?: RateLimitOptions['onRefusal']): RateLimiter {
  const { perMinute, anonymousPerMinute, redisUrl } = config.rateLimit;
  return rateLimiter({
    perSubject: perMinute,
    perAddress: anonymousPerMinute,
    jwt: config.jwt,
    store: redisUrl ? new RedisStore({ url: redisUrl, log }) : new MemoryStore(),
    onRefusal,
  });
}

async function verifiedSubject(req: object, authorization: string | undefined, jwt: JwtSettings): Promise<string | undefined> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  if (!match) return undefined;
  try {
    return (await verifyTokenOnce(req, match[1], jwt)).sub;
  } catch {
    return undefined;
  }
}

/**
 * The address a budget belongs to: IPv4 as is (also when IPv4-mapped), IPv6 by its /64, the block
 * one subscriber is usually given (else each of its 2^64 addresses would have a budget of its own).
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  const address = ip.split('%')[0];
  if (!isIPv6(address)) return ip;
  const groups = (part: string) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const first = groups(head);
  const all = tail === undefined ? first : [...first, ...Array(8 - first.length - groups(tail).length).fill('0'), ...groups(tail)];
  return `${all.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
