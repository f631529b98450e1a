/**
 * Rate limits on /graphql: per verified token subject, per address otherwise; 429 + Retry-After +
 * RATE_LIMITED. Every behaviour runs on both stores: in memory, and Redis (REDIS_URL, or the
 * machine's redis://127.0.0.1:6379; a Redis test fails, never skips, when Redis cannot be reached).
 * Windows are driven by an injected clock; the one real-time test waits at most ~1 s.
 */
import { randomUUID } from 'node:crypto';
import { IncomingHttpHeaders, request } from 'node:http';
import { AddressInfo, createServer as createTcpServer, Server as TcpServer, Socket } from 'node:net';
import Redis from 'ioredis';
import { ConfigError, loadConfig } from '../../../src/platform/config';
import { closePreHandlers } from '../../../src/platform/http/pre-handlers';
import { addressKey, rateLimiter, RateLimiter, RateLimitOptions } from '../../../src/platform/http/rate-limit';
import { MemoryStore, RateLimitLog, RateLimitStore, RedisStore } from '../../../src/platform/http/rate-limit-store';
import { App, startServer } from '../../../src/app/server';
import type { PreHandler } from '../../../src/platform/http/request';
import { config, sign, startTestApp, TestApp } from '../../support/app';
import { rawSign } from '../../support/http';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
/** Unique per run: parallel runs on one Redis never share a key. */
const RUN = `mijande:rl:test:${process.pid}:${randomUUID().slice(0, 8)}:`;
const MINUTE = 60_000;
/** An aligned window start (fake clock), far from any real one. */
const T0 = Math.floor(Date.UTC(2031, 0, 1) / MINUTE) * MINUTE;

let a: TestApp;
let b: TestApp;
/** The limiter each app runs now: each test plugs in its own. */
const current: { a?: PreHandler; b?: PreHandler } = {};
const delegate = (which: 'a' | 'b'): PreHandler => (req, res, info) => current[which]?.(req, res, info) ?? false;
const opened: { close(): Promise<void> }[] = [];
const warnings: { level: string; message: string }[] = [];
const log: RateLimitLog = (level, message) => warnings.push({ level, message });
let admin: Redis;

beforeAll(async () => {
  a = await startTestApp({ preHandlers: [delegate('a')] });
  b = await startTestApp({ preHandlers: [delegate('b')] });
  admin = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 1 });
});

afterEach(async () => {
  current.a = current.b = undefined;
  await Promise.all(opened.splice(0).map((o) => o.close()));
  warnings.length = 0;
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  if (admin) {
    const keys = await admin.keys(`${RUN}*`).catch(() => [] as string[]);
    if (keys.length) await admin.del(...keys);
    admin.disconnect();
  }
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: any;
  ms: number;
}

/** `{ __typename }` to an app over loopback, optionally from another local address (a second peer IP). */
function call(app: TestApp | App, opts: { token?: string; from?: string; path?: string; requestId?: string; forwardedFor?: string } = {}): Promise<Reply> {
  const url = new URL('app' in app ? app.app.url : app.url);
  const method = opts.path ? 'GET' : 'POST';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.requestId) headers['x-request-id'] = opts.requestId;
  if (opts.forwardedFor) headers['x-forwarded-for'] = opts.forwardedFor;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: url.port, path: opts.path ?? '/graphql', method, headers, localAddress: opts.from },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode!, headers: res.headers, body, ms: Date.now() - started });
        });
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? JSON.stringify({ query: '{ __typename }' }) : undefined);
  });
}

async function statuses(app: TestApp, n: number, opts: Parameters<typeof call>[1] = {}): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call(app, opts)).status);
  return out;
}

const subjectToken = (sub: string) => sign({ sub, role: 'staff', purposes: [] });
const clockAt = (t: number) => {
  const clock = { t, now: () => clock.t };
  return clock;
};

type Kind = 'memory' | 'redis';
function store(kind: Kind, prefix = `${RUN}${randomUUID().slice(0, 8)}:`): RateLimitStore {
  return kind === 'memory' ? new MemoryStore() : new RedisStore({ url: REDIS_URL, keyPrefix: prefix, log });
}
function limiter(kind: Kind, options: Partial<RateLimitOptions> & { prefix?: string } = {}): RateLimiter {
  const { prefix, ...rest } = options;
  const made = rateLimiter({ perSubject: 100, perAddress: 100, jwt: config.jwt, store: store(kind, prefix), ...rest });
  opened.push(made);
  return made;
}
/** A Redis test must have counted in Redis, not in the fallback. */
function expectCountedWhereExpected(l: RateLimiter): void {
  if (l.store instanceof RedisStore) {
    expect(l.store.isDegraded).toBe(false);
    expect(warnings).toEqual([]);
  }
}

describe.each<Kind>(['memory', 'redis'])('rate limits (%s store)', (kind) => {
  test('past the budget: 429, Retry-After in whole seconds, RATE_LIMITED with the request id, no data', async () => {
    const clock = clockAt(T0 + 250);
    current.a = limiter(kind, { perSubject: 3, now: clock.now });
    const token = subjectToken(`subject-${randomUUID()}`);
    expect(await statuses(a, 3, { token })).toEqual([200, 200, 200]);

    const refused = await call(a, { token, requestId: 'rate-limit-test-0001' });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60'); // 59.75 s left, rounded up
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expect(refused.headers['x-request-id']).toBe('rate-limit-test-0001');
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors).toHaveLength(1);
    expect(refused.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', requestId: 'rate-limit-test-0001' });
    expect(refused.body.errors[0].message).toMatch(/too many requests/i);

    clock.t = T0 + MINUTE - 1; // 1 ms before the window ends: never "Retry-After: 0"
    expect((await call(a, { token })).headers['retry-after']).toBe('1');
    expectCountedWhereExpected(current.a as RateLimiter);
  });

  test('counted per verified subject: another subject and anonymous callers keep their budgets', async () => {
    current.a = limiter(kind, { perSubject: 2, perAddress: 2, now: clockAt(T0).now });
    const spent = subjectToken(`spent-${randomUUID()}`);
    expect(await statuses(a, 3, { token: spent })).toEqual([200, 200, 429]);
    expect(await statuses(a, 2, { token: subjectToken(`other-${randomUUID()}`) })).toEqual([200, 200]);
    expect(await statuses(a, 2)).toEqual([200, 200]);
    expectCountedWhereExpected(current.a as RateLimiter);
  });

  test('anonymous callers are counted per address, apart from subjects on that address', async () => {
    current.a = limiter(kind, { perSubject: 5, perAddress: 2, now: clockAt(T0).now });
    expect(await statuses(a, 3)).toEqual([200, 200, 429]);
    expect(await statuses(a, 2, { from: '127.0.0.2' })).toEqual([200, 200]);
    expect((await call(a, { from: '127.0.0.2' })).status).toBe(429);
    expect((await call(a, { token: subjectToken(`s-${randomUUID()}`) })).status).toBe(200);
    expectCountedWhereExpected(current.a as RateLimiter);
  });

  test('a token that does not verify counts against the address: no fresh budget per sub, nothing spent of the named sub', async () => {
    current.a = limiter(kind, { perSubject: 2, perAddress: 3, now: clockAt(T0).now });
    const victim = `victim-${randomUUID()}`;
    const forged = (sub: string) => rawSign({ sub, role: 'staff', purposes: [] }, { secret: 'x'.repeat(40) });
    expect(await statuses(a, 2, { token: forged(victim) })).toEqual([401, 401]);
    // A made-up sub, an expired token and a token from another issuer: the same address budget.
    expect((await call(a, { token: rawSign({ sub: `new-${randomUUID()}`, role: 'staff', purposes: [] }, { expiresIn: -60 }) })).status).toBe(401);
    expect((await call(a, { token: forged(`fresh-${randomUUID()}`) })).status).toBe(429);
    expect((await call(a, { token: rawSign({ sub: victim, role: 'staff', purposes: [] }, { issuer: 'elsewhere' }) })).status).toBe(429);
    expect((await call(a)).status).toBe(429); // the forger spent this address's anonymous budget
    // The victim, with its real token, still has its whole budget.
    expect(await statuses(a, 3, { token: subjectToken(victim) })).toEqual([200, 200, 429]);
    expectCountedWhereExpected(current.a as RateLimiter);
  });

  test('the window resets (injected clock)', async () => {
    const clock = clockAt(T0 + 10);
    current.a = limiter(kind, { perSubject: 1, perAddress: 1, now: clock.now });
    const token = subjectToken(`reset-${randomUUID()}`);
    expect(await statuses(a, 2, { token })).toEqual([200, 429]);
    expect(await statuses(a, 2)).toEqual([200, 429]);
    clock.t = T0 + MINUTE;
    expect(await statuses(a, 2, { token })).toEqual([200, 429]);
    expect(await statuses(a, 2)).toEqual([200, 429]);
    expectCountedWhereExpected(current.a as RateLimiter);
  });

  test('the window resets (real clock, 1 s window)', async () => {
    if (Date.now() % 1000 > 600) await sleep(1000 - (Date.now() % 1000) + 5); // start early in a window
    current.a = limiter(kind, { perSubject: 1, windowMs: 1000 });
    const token = subjectToken(`real-${randomUUID()}`);
    expect((await call(a, { token })).status).toBe(200);
    const refused = await call(a, { token });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    await sleep(1000 - (Date.now() % 1000) + 20);
    expect((await call(a, { token })).status).toBe(200);
    expectCountedWhereExpected(current.a as RateLimiter);
  });

  test('only /graphql is limited: health endpoints answer whatever the budget', async () => {
    current.a = limiter(kind, { perAddress: 1, now: clockAt(T0).now });
    expect(await statuses(a, 2)).toEqual([200, 429]);
    for (const path of ['/healthz', '/readyz', '/healthz?x=1']) expect((await call(a, { path })).status).not.toBe(429);
    expect((await call(a, { path: '/graphql?query=%7B__typename%7D' })).status).toBe(429);
  });
});

describe('several instances', () => {
  test('two instances on one Redis share one budget', async () => {
    const prefix = `${RUN}shared-${randomUUID().slice(0, 8)}:`;
    const clock = clockAt(T0);
    // Each instance its own limiter and its own connection, as two processes behind a load balancer.
    current.a = limiter('redis', { prefix, perSubject: 4, perAddress: 3, now: clock.now });
    current.b = limiter('redis', { prefix, perSubject: 4, perAddress: 3, now: clock.now });
    const token = subjectToken(`shared-${randomUUID()}`);
    const seen: number[] = [];
    for (const app of [a, b, a, b, a, b]) seen.push((await call(app, { token })).status);
    expect(seen).toEqual([200, 200, 200, 200, 429, 429]);
    const anonymous: number[] = [];
    for (const app of [b, a, b, a]) anonymous.push((await call(app)).status);
    expect(anonymous).toEqual([200, 200, 200, 429]);
    expectCountedWhereExpected(current.a as RateLimiter);
    expectCountedWhereExpected(current.b as RateLimiter);
  });

  test('in memory each instance has its own budget (the reason for REDIS_URL)', async () => {
    current.a = limiter('memory', { perSubject: 2, now: clockAt(T0).now });
    current.b = limiter('memory', { perSubject: 2, now: clockAt(T0).now });
    const token = subjectToken(`local-${randomUUID()}`);
    expect(await statuses(a, 3, { token })).toEqual([200, 200, 429]);
    expect(await statuses(b, 3, { token })).toEqual([200, 200, 429]);
  });
});

describe('Redis store', () => {
  test('keys are prefixed mijande:rl:, expire with their window, and hold one atomic count', async () => {
    const s = new RedisStore({ url: REDIS_URL, log });
    opened.push(s);
    const key = `test:${RUN.replace(/:/g, '.')}-${randomUUID().slice(0, 8)}`;
    const now = T0 + 15_000;
    const hits = await Promise.all(Array.from({ length: 20 }, () => s.hit(key, MINUTE, now)));
    expect(hits.map((h) => h.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(hits.map((h) => h.resetAt))).toEqual(new Set([T0 + MINUTE]));
    const stored = `mijande:rl:${key}:${T0 / MINUTE}`;
    expect(await admin.get(stored)).toBe('20');
    const ttl = await admin.pttl(stored);
    expect(ttl).toBeGreaterThan(40_000);
    expect(ttl).toBeLessThanOrEqual(45_000 + 1000);
    await admin.del(stored);
    expect(s.isDegraded).toBe(false);
  });

  test('a dead Redis does not hang requests: it fails open to counting in this process, with a warning', async () => {
    current.a = rateLimiter({
      perSubject: 2,
      perAddress: 2,
      jwt: config.jwt,
      now: clockAt(T0).now,
      store: new RedisStore({ url: 'redis://127.0.0.1:1', log }),
    });
    opened.push(current.a as RateLimiter);
    const token = subjectToken(`dead-${randomUUID()}`);
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await call(a, { token }));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 429]);
    for (const r of replies) expect(r.ms).toBeLessThan(1000);
    expect(((current.a as RateLimiter).store as RedisStore).isDegraded).toBe(true);
    expect(warnings.filter((w) => w.level === 'warn')).toHaveLength(1); // once, not once per request
  });

  test('a Redis that accepts connections but never answers does not hang requests either', async () => {
    const sockets = new Set<Socket>();
    const silent: TcpServer = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      current.a = rateLimiter({
        perSubject: 2,
        perAddress: 2,
        jwt: config.jwt,
        now: clockAt(T0).now,
        store: new RedisStore({ url: `redis://127.0.0.1:${port}`, log, commandTimeoutMs: 300 }),
      });
      opened.push(current.a as RateLimiter);
      const token = subjectToken(`silent-${randomUUID()}`);
      const replies = [];
      for (let i = 0; i < 3; i++) replies.push(await call(a, { token }));
      expect(replies.map((r) => r.status)).toEqual([200, 200, 429]);
      for (const r of replies) expect(r.ms).toBeLessThan(1500);
      expect(((current.a as RateLimiter).store as RedisStore).isDegraded).toBe(true);
    } finally {
      await Promise.all(opened.splice(0).map((o) => o.close()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('MemoryStore', () => {
  test('prunes expired windows, so memory holds only the live ones', async () => {
    const s = new MemoryStore();
    for (let i = 0; i < 50; i++) await s.hit(`k${i}`, MINUTE, T0 + i);
    expect(s.size).toBe(50);
    await s.hit('later', MINUTE, T0 + MINUTE + 1);
    expect(s.size).toBe(1);
  });

  test('never holds more than maxKeys windows', async () => {
    const s = new MemoryStore(3);
    for (let i = 0; i < 10; i++) await s.hit(`k${i}`, MINUTE, T0);
    expect(s.size).toBe(3);
    expect((await s.hit('k9', MINUTE, T0)).count).toBe(2); // the newest kept its count
  });
});

describe('wiring and configuration', () => {
  test('startServer limits by default, from the config', async () => {
    const app = await startServer({ ...config, rateLimit: { perMinute: 2, anonymousPerMinute: 1 } }, a.dataSource);
    try {
      const token = subjectToken(`default-${randomUUID()}`);
      expect((await call(app, { token })).status).toBe(200);
      expect((await call(app, { token })).status).toBe(200);
      expect((await call(app, { token })).status).toBe(429);
    } finally {
      await app.stop();
    }
  });

  test('startServer with REDIS_URL counts in Redis, and stop() closes the connection', async () => {
    const app = await startServer({ ...config, rateLimit: { perMinute: 1, anonymousPerMinute: 100, redisUrl: REDIS_URL } }, a.dataSource);
    const sub = `wired-${RUN.replace(/:/g, '.')}${randomUUID().slice(0, 8)}`;
    try {
      const token = subjectToken(sub);
      expect((await call(app, { token })).status).toBe(200);
      expect((await call(app, { token })).status).toBe(429);
      const keys = await admin.keys(`mijande:rl:sub:${sub}:*`);
      expect(keys).toHaveLength(1);
      await admin.del(...keys);
    } finally {
      const started = Date.now();
      await app.stop();
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });

  describe('behind a load balancer (TRUST_PROXY)', () => {
    const anonymousLimited = (trustProxy: string | undefined) =>
      startServer({ ...config, trustProxy: trustProxy === undefined ? undefined : loadConfig({ TRUST_PROXY: trustProxy }).trustProxy, rateLimit: { perMinute: 100, anonymousPerMinute: 1 } }, a.dataSource);

    test.each(['1', '127.0.0.1/8'])('TRUST_PROXY=%s: each forwarded client has its own anonymous budget', async (setting) => {
      const app = await anonymousLimited(setting);
      try {
        expect((await call(app, { forwardedFor: '203.0.113.7' })).status).toBe(200);
        expect((await call(app, { forwardedFor: '203.0.113.7' })).status).toBe(429);
        // Another client behind the same proxy (the same socket peer) is not refused.
        expect((await call(app, { forwardedFor: '198.51.100.20' })).status).toBe(200);
        // A forged entry prepended by the client does not buy a new budget: the proxy appends the real one.
        expect((await call(app, { forwardedFor: '192.0.2.99, 203.0.113.7' })).status).toBe(429);
      } finally {
        await app.stop();
      }
    });

    test('without TRUST_PROXY a forwarded address is ignored: the socket peer counts', async () => {
      const app = await anonymousLimited(undefined);
      try {
        expect((await call(app, { from: '127.0.0.3', forwardedFor: '203.0.113.7' })).status).toBe(200);
        expect((await call(app, { from: '127.0.0.3', forwardedFor: '198.51.100.20' })).status).toBe(429);
      } finally {
        await app.stop();
      }
    });

    test('a peer that is not a trusted proxy cannot choose its address', async () => {
      const app = await anonymousLimited('10.0.0.0/8');
      try {
        expect((await call(app, { from: '127.0.0.4', forwardedFor: '203.0.113.7' })).status).toBe(200);
        expect((await call(app, { from: '127.0.0.4', forwardedFor: '198.51.100.20' })).status).toBe(429);
      } finally {
        await app.stop();
      }
    });

    test('TRUST_PROXY is validated at start-up', () => {
      expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' })).toThrow(/TRUST_PROXY/);
      expect(() => loadConfig({ TRUST_PROXY: 'loopback,,' })).toThrow(/TRUST_PROXY/);
      expect(loadConfig({}).trustProxy).toBeUndefined();
    });
  });

  test('closePreHandlers closes those that can be closed', async () => {
    const closed: string[] = [];
    const closable = Object.assign(async () => false, { close: async () => void closed.push('limiter') });
    await closePreHandlers([closable, async () => false]);
    expect(closed).toEqual(['limiter']);
  });

  test('configuration: defaults, overrides, and refusals', () => {
    expect(loadConfig({}).rateLimit).toEqual({ perMinute: 600, anonymousPerMinute: 120, redisUrl: undefined });
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '50', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '5', REDIS_URL: 'redis://r:6379' }).rateLimit).toEqual({
      perMinute: 50,
      anonymousPerMinute: 5,
      redisUrl: 'redis://r:6379',
    });
    for (const bad of ['0', '-1', '1.5', 'many']) {
      expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: bad })).toThrow(/RATE_LIMIT_ANONYMOUS_PER_MINUTE/);
    }
  });

  test('addresses: IPv4 as is, IPv4-mapped unwrapped, IPv6 by its /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff::1%eth0')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('unknown')).toBe('unknown');
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
