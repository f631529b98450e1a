/**
 * The database goes away under load: every request still gets a clean answer (SERVICE_UNAVAILABLE,
 * no personal data, no hang) within a bounded time, and the server recovers when it comes back.
 */
import { createDataSource } from '../../../src/app/data-source';
import { startServer, App } from '../../../src/app/server';
import { asStaff, config } from '../../support/app';
import { findFixtures } from '../../support/fixtures';
import { TcpProxy, targetOf } from '../../support/tcp-proxy';
import { DataSource } from 'typeorm';

const TIMEOUTS = { connectMs: 1_000, queryMs: 2_000 };
/** No answer may take longer than this while the database is away. */
const BOUND_MS = 6_000;

let proxy: TcpProxy;
let dataSource: DataSource;
let app: App;
let tenantId: string;

beforeAll(async () => {
  const url = process.env.TEST_DATABASE_URL!;
  const direct = createDataSource({ url, poolSize: 1 });
  await direct.initialize();
  tenantId = (await findFixtures(direct)).tenantId;
  await direct.destroy();
  proxy = await new TcpProxy(targetOf(url)).start();
  dataSource = createDataSource({ url: proxy.through(url), poolSize: 4, timeouts: TIMEOUTS });
  await dataSource.initialize();
  app = await startServer(config, dataSource);
});

afterAll(async () => {
  await app?.stop();
  await dataSource?.destroy().catch(() => undefined);
  await proxy?.stop();
});

const caller = asStaff('PRIVACY');
async function ask(): Promise<{ ms: number; status: number; body: any }> {
  const started = Date.now();
  const res = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.token}`, 'x-purpose': caller.purpose! },
    body: JSON.stringify({ query: 'query($id: ID!) { tenant(id: $id) { id lastName email } }', variables: { id: tenantId } }),
  });
  return { ms: Date.now() - started, status: res.status, body: await res.json() };
}

/** `n` requests at a time for `ms`. */
async function load(ms: number, n = 8) {
  const results: Awaited<ReturnType<typeof ask>>[] = [];
  const until = Date.now() + ms;
  await Promise.all(Array.from({ length: n }, async () => {
    while (Date.now() < until) results.push(await ask());
  }));
  return results;
}

function expectClean(results: Awaited<ReturnType<typeof ask>>[]) {
  expect(results.length).toBeGreaterThan(0);
  for (const r of results) {
    expect(r.ms).toBeLessThan(BOUND_MS);
    expect(r.status).toBeLessThan(600);
    if (r.body.data?.tenant?.email) continue; // answered before the cut took effect
    expect(r.body.data?.tenant ?? null).toBeNull();
    const codes = (r.body.errors ?? []).map((e: any) => e.extensions?.code);
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) expect(code).toBe('SERVICE_UNAVAILABLE');
  }
}

test.each(['reset', 'blackhole'] as const)('a database that goes away (%s) gives clean errors in bounded time, then recovers', async (mode) => {
  const before = await load(500);
  expect(before.every((r) => r.body.data?.tenant?.email)).toBe(true);

  proxy.down(mode);
  const during = await load(mode === 'blackhole' ? 4_000 : 1_500);
  expectClean(during);
  expect(during.some((r) => r.body.errors)).toBe(true);

  proxy.up();
  const deadline = Date.now() + 15_000;
  let recovered = false;
  while (!recovered && Date.now() < deadline) {
    const r = await ask();
    recovered = Boolean(r.body.data?.tenant?.email);
    if (!recovered) await new Promise((res) => setTimeout(res, 200));
  }
  expect(recovered).toBe(true);
  const after = await load(500);
  expect(after.every((r) => r.body.data?.tenant?.email)).toBe(true);
}, 60_000);
