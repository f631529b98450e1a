/**
 * WORKERS=N and instances side by side: the real server process (src/app/main.ts) with its workers
 * on one port, and two independent instances sharing one PostgreSQL database and one Redis.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, DEVELOPMENT_AUDIT_KEY, loadConfig } from '../../src/platform/config';
import { verifyAuditChains } from '../../src/platform/audit/verify';
import { workerConfig, workerCount } from '../../src/app/cluster';
import { asStaff, sign } from '../support/app';
import { openScratchDatabase, ScratchDatabase } from '../support/scratch-db';
import { TcpProxy, targetOf } from '../support/tcp-proxy';

describe('WORKERS', () => {
  test('is a positive integer, 1 by default', () => {
    expect(workerCount({}, undefined)).toBe(1);
    expect(workerCount({ WORKERS: '' }, undefined)).toBe(1);
    expect(workerCount({ WORKERS: '3' }, 'postgres://db/x')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'two', '2workers']) {
      expect(() => workerCount({ WORKERS: bad }, 'postgres://db/x')).toThrow(ConfigError);
    }
  });

  test('above 1 is refused on the embedded database, which one process opens', () => {
    expect(() => workerCount({ WORKERS: '2' }, undefined)).toThrow(/WORKERS above 1 needs DATABASE_URL/);
    expect(workerCount({ WORKERS: '1' }, undefined)).toBe(1);
  });

  test('without Redis each worker gets its share of the rate limits, never more than the whole', () => {
    const config = loadConfig({ RATE_LIMIT_PER_MINUTE: '600', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '5' });
    const share = workerConfig(config, 4);
    expect(share.rateLimit.perMinute).toBe(150);
    expect(share.rateLimit.anonymousPerMinute).toBe(1);
    expect(workerConfig(config, 1)).toBe(config);
    const shared = loadConfig({ RATE_LIMIT_PER_MINUTE: '600', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(workerConfig(shared, 4).rateLimit.perMinute).toBe(600);
  });
});

// The processes need a PostgreSQL server: the embedded database is one session that one process opens.
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL) {
  test.skip('worker processes and instances side by side need DATABASE_URL (a PostgreSQL server); skipped on the embedded database', () => undefined);
}

interface Instance {
  child: ChildProcess;
  output: () => string;
  port: number;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

const STARTED = /Mijande privacy API on http:\/\/localhost:(\d+)\/graphql/g;

async function waitFor(what: () => boolean, timeoutMs: number): Promise<void> {
  for (const until = Date.now() + timeoutMs; !what() && Date.now() < until;) await new Promise((r) => setTimeout(r, 200));
}

/** Starts main.ts as a process of its own and waits for `lines` start-up lines (one per worker). */
async function startInstance(env: NodeJS.ProcessEnv, lines: number): Promise<Instance> {
  const main = resolve(__dirname, '../../src/app/main.ts');
  // main.ts as the entry file, not required from -e: the cluster forks workers from process.argv[1].
  const child = spawn(process.execPath, ['-r', '@swc-node/register', main], {
    env: {
      ...process.env,
      SWC_NODE_PROJECT: resolve(__dirname, '../support/tsconfig.child.json'),
      PORT: '0', LOG_LEVEL: 'info', NODE_ENV: 'development', SEED: 'false', ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const chunks: string[] = [];
  child.stdout!.on('data', (d) => chunks.push(d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const output = () => chunks.join('');
  await waitFor(() => [...output().matchAll(STARTED)].length >= lines || child.exitCode !== null, 90_000);
  const ports = [...output().matchAll(STARTED)].map((m) => m[1]);
  if (ports.length < lines) {
    child.kill('SIGKILL');
    throw new Error(`the server did not start ${lines} time(s):\n${output().slice(-2000)}`);
  }
  expect(new Set(ports).size).toBe(1); // every worker serves the one port
  return { child, output, port: Number(ports[0]), exited };
}

/** One POST on a connection of its own: the cluster hands out connections, not requests. */
function post(port: number, query: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolvePost, reject) => {
    const body = JSON.stringify({ query });
    const req = request({
      host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
    }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (p) => parts.push(p));
      res.on('end', () => resolvePost({ status: res.statusCode!, body: JSON.parse(Buffer.concat(parts).toString() || 'null') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const caller = asStaff('REPAIRS');
const staffHeaders = { authorization: `Bearer ${caller.token}`, 'x-purpose': caller.purpose! };
/** Personal data (a tenant's phone): each answer is audited, on the chain of the worker that served it. */
const AUDITED = '{ workOrders(first: 2) { edges { node { tenant { phone } } } } }';

async function chainsOf(db: ScratchDatabase): Promise<{ chain: string; events: number }[]> {
  return (await db.dataSource.query('SELECT chain, count(*)::int AS events FROM audit_event GROUP BY chain ORDER BY chain'));
}

async function stop(instance: Instance): Promise<number | null> {
  if (instance.child.exitCode === null) instance.child.kill('SIGTERM');
  const [code] = await instance.exited;
  return code;
}

onPostgres('worker processes on PostgreSQL', () => {
  let db: ScratchDatabase;
  let checkpointDir: string;
  const started: Instance[] = [];
  let stopProxy: (() => unknown) | undefined;
  beforeEach(async () => {
    db = await openScratchDatabase();
    checkpointDir = mkdtempSync(join(tmpdir(), 'mijande-cluster-'));
  });
  afterEach(async () => {
    for (const instance of started.splice(0)) if (instance.child.exitCode === null) instance.child.kill('SIGKILL');
    await stopProxy?.();
    stopProxy = undefined;
    await db?.close();
    rmSync(checkpointDir, { recursive: true, force: true });
  });
  const env = () => ({ DATABASE_URL: db.url, AUDIT_CHECKPOINT_DIR: checkpointDir, DATA_DIR: checkpointDir });

  test('WORKERS=2: both workers serve the port on chains of their own, the primary serves their summed metrics, a killed worker comes back, SIGTERM exits 0 and the chains verify', async () => {
    // Through a proxy that can slow the database down, to hold a request in flight at SIGTERM.
    const proxy = await new TcpProxy(targetOf(db.url)).start();
    stopProxy = () => proxy.stop();
    const server = await startInstance({ ...env(), DATABASE_URL: proxy.through(db.url), WORKERS: '2', METRICS_PORT: '0' }, 2);
    started.push(server);

    for (let i = 0; i < 12; i++) {
      const res = await post(server.port, AUDITED, staffHeaders);
      expect(res.status).toBe(200);
      expect(res.body.data.workOrders.edges.length).toBeGreaterThan(0);
    }
    const chains = await chainsOf(db);
    // Chains are named <host>-<pid>-<random>: one per worker, none of the primary (which never serves).
    const pids = chains.map((c) => Number(c.chain.split('-').at(-2)));
    expect(chains).toHaveLength(2);
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(server.child.pid);
    expect(chains.reduce((n, c) => n + c.events, 0)).toBe(12);

    // One scrape of the primary's METRICS_PORT sees both workers' requests and events.
    const metricsUrl = /metrics of all workers on (http:\/\/localhost:\d+\/metrics)/.exec(server.output())?.[1];
    expect(metricsUrl).toBeDefined();
    const scraped = await (await fetch(metricsUrl!)).text();
    const sum = (series: RegExp) => [...scraped.matchAll(series)].reduce((n, m) => n + Number(m[1]), 0);
    expect(sum(/^mijande_http_requests_total\{[^}]*role="staff",purpose="REPAIRS",status="200"\} (\d+)$/gm)).toBe(12);
    expect(sum(/^mijande_audit_events_total (\d+)$/gm)).toBe(12);

    // A worker that dies is replaced; the port keeps being served meanwhile.
    process.kill(pids[0], 'SIGKILL');
    await waitFor(() => [...server.output().matchAll(STARTED)].length >= 3, 60_000);
    expect(server.output()).toContain('worker died; restarting it');
    expect([...server.output().matchAll(STARTED)].length).toBe(3);
    for (let i = 0; i < 6; i++) expect((await post(server.port, AUDITED, staffHeaders)).status).toBe(200);
    const after = await chainsOf(db);
    expect(after.length).toBe(3);

    // SIGTERM while a request is in flight: it is answered (and audited) before its worker exits.
    proxy.delayMs = 700;
    const inFlight = post(server.port, AUDITED, staffHeaders);
    await new Promise((r) => setTimeout(r, 200));
    const code = stop(server);
    const answer = await inFlight;
    proxy.delayMs = 0;
    expect(answer.status).toBe(200);
    expect(answer.body.data.workOrders.edges.length).toBeGreaterThan(0);
    expect(await code).toBe(0);
    expect(server.output()).toContain('shutting down the workers');
    const result = await verifyAuditChains(db.dataSource, { key: DEVELOPMENT_AUDIT_KEY, checkpointDir });
    expect(result.broken).toBeNull();
    expect(result.chains).toBe(3);
    expect(result.events).toBe(19);
    expect(result.checkpointedChains).toBeGreaterThanOrEqual(3);
  }, 240_000);

  test('two instances on one database and one Redis share the rate limit, and their chains verify together', async () => {
    const shared = { ...env(), REDIS_URL: 'redis://127.0.0.1:6379', RATE_LIMIT_PER_MINUTE: '6' };
    // One after the other: the first applies pending migrations alone.
    const first = await startInstance(shared, 1);
    started.push(first);
    const second = await startInstance(shared, 1);
    started.push(second);
    expect(second.port).not.toBe(first.port);

    // A subject of this run only: the Redis server is shared with other runs.
    const token = sign({ sub: `cluster-test-${randomUUID()}`, role: 'staff', purposes: ['REPAIRS'] });
    const headers = { authorization: `Bearer ${token}`, 'x-purpose': 'REPAIRS' };
    // The limit counts in fixed minutes: start well inside one, so that the budget is not renewed halfway.
    if (Date.now() % 60_000 > 45_000) await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 100));
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await post(i % 2 ? second.port : first.port, AUDITED, headers)).status);
    // Six between them, not six each: the seventh and eighth are refused, one by each instance.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);

    expect(await stop(first)).toBe(0);
    expect(await stop(second)).toBe(0);
    const chains = await chainsOf(db);
    expect(chains).toHaveLength(2);
    expect(chains.map((c) => c.events)).toEqual([3, 3]);
    const result = await verifyAuditChains(db.dataSource, { key: DEVELOPMENT_AUDIT_KEY, checkpointDir });
    expect(result.broken).toBeNull();
    expect(result.chains).toBe(2);
    expect(result.checkpointedChains).toBe(2);
  }, 240_000);
});
