/**
 * `npm run soak [-- --duration 300 --connections 50 --warmup 60]`: the real server (dist/src/app/main.js,
 * production settings) in its own process on PostgreSQL (DATABASE_URL, default the machine's
 * postgres://postgres@127.0.0.1:5432/postgres) with a fresh database of 10,000 tenants; autocannon
 * cycles through the client apps' read operations for every role at fixed concurrency; the server's
 * resident memory is sampled every 5 s. Passes when no request fails (HTTP or GraphQL errors) and
 * memory after the warm-up is flat: the median of the last minute within 10% of the median of the
 * first. Writes bench/soak.json.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Claims, signToken } from '../src/platform/auth/tokens';
import { prepareDatabase, dropDatabase, pickSubjects, newDataSource } from './bench/database';
import { clientOperation } from './lib/client-operations';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '300' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '60' },
    'tenants-per-status': { type: 'string', default: '3334' },
  },
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const WARMUP = Number(values.warmup);
const SAMPLE_MS = 5_000;
const log = (m: string) => console.log(`[soak] ${m}`);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function main(): Promise<boolean> {
  const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const db = await prepareDatabase(databaseUrl, Number(values['tenants-per-status']), log);
  const ds = newDataSource(db.url, 2);
  await ds.initialize();
  const subjects = await pickSubjects(ds);
  const [bailiff] = await ds.query(`SELECT bailiff_id AS id FROM arrears_case WHERE status = 'HANDED_TO_BAILIFF' GROUP BY bailiff_id ORDER BY count(*) DESC LIMIT 1`);
  const [builder] = await ds.query(`SELECT builder_id AS id FROM renovation_project WHERE CURRENT_DATE BETWEEN starts_on AND ends_on ORDER BY builder_id LIMIT 1`);
  await ds.destroy();

  const jwt = { secret: randomBytes(32).toString('hex'), issuer: 'mijande-auth', audience: 'mijande-api' };
  const port = await freePort();
  const server = spawn(process.execPath, [resolve(__dirname, '../src/app/main.js')], {
    env: {
      ...process.env, NODE_ENV: 'production', DATABASE_URL: db.url, PORT: String(port), SEED: 'false', LOG_LEVEL: 'warn',
      JWT_SECRET: jwt.secret, JWT_ALLOW_SHARED_SECRET: 'true', AUDIT_KEY: randomBytes(32).toString('hex'),
      AUDIT_CHECKPOINT_DIR: join(tmpdir(), `mijande-soak-audit-checkpoints-${process.pid}`),
      RATE_LIMIT_PER_MINUTE: '1000000000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000000', REDIS_URL: '',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let i = 0; i < 100; i++) {
    if (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }

  const bearer = (claims: Claims, purpose?: string) => ({
    'content-type': 'application/json',
    authorization: `Bearer ${signToken(claims, jwt, DURATION + WARMUP + 600)}`,
    ...(purpose ? { 'x-purpose': purpose } : {}),
  });
  const staff = (purpose: string) => bearer({ sub: 'soak-staff', role: 'staff', purposes: [purpose as never] }, purpose);
  const ops: { name: string; headers: Record<string, string>; file: string; variables?: Record<string, unknown> }[] = [
    { name: 'TenantList', file: 'staff-dashboard.graphql', headers: staff('LETTING'), variables: { first: 50 } },
    { name: 'TenantDetail', file: 'staff-dashboard.graphql', headers: staff('PRIVACY'), variables: { id: subjects.tenantId } },
    { name: 'OpenWorkOrders', file: 'staff-dashboard.graphql', headers: staff('REPAIRS'), variables: { first: 50 } },
    { name: 'ArrearsOverview', file: 'staff-dashboard.graphql', headers: staff('ARREARS') },
    { name: 'MyWorkOrders', file: 'contractor-app.graphql', headers: bearer({ sub: 'soak-contractor', role: 'contractor', orgId: subjects.contractorOrgId }), variables: { status: ['ASSIGNED', 'IN_PROGRESS'], first: 20 } },
    { name: 'MyProfile', file: 'tenant-app.graphql', headers: bearer({ sub: 'soak-tenant', role: 'tenant', tenantId: subjects.tenantId }) },
    { name: 'MyNotifications', file: 'tenant-app.graphql', headers: bearer({ sub: 'soak-tenant', role: 'tenant', tenantId: subjects.tenantId }) },
    { name: 'HandedOverCases', file: 'bailiff-portal.graphql', headers: bearer({ sub: 'soak-bailiff', role: 'bailiff', orgId: bailiff.id }) },
    { name: 'MyRenovationProjects', file: 'builder-portal.graphql', headers: bearer({ sub: 'soak-builder', role: 'builder', orgId: builder.id }) },
    { name: 'CurrentPrivacyStatement', file: 'public.graphql', headers: { 'content-type': 'application/json' } },
  ];
  const failures: Record<string, number> = {};
  const requests = ops.map((op) => ({
    method: 'POST' as const,
    path: '/graphql',
    headers: op.headers,
    body: JSON.stringify({ query: clientOperation(op.file, op.name), variables: op.variables ?? {} }),
    onResponse: (status: number, body: string) => {
      if (status !== 200 || body.includes('"errors"')) failures[op.name] = (failures[op.name] ?? 0) + 1;
    },
  }));

  const samples: { at: number; rssMb: number }[] = [];
  const started = Date.now();
  const sampler = setInterval(() => samples.push({ at: (Date.now() - started) / 1000, rssMb: rssMb(server.pid!) }), SAMPLE_MS);
  log(`${CONNECTIONS} connections for ${WARMUP + DURATION} s (${WARMUP} s warm-up) over ${ops.length} operations…`);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: WARMUP + DURATION, requests, timeout: 30 });
  clearInterval(sampler);

  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  await db.close();
  if (databaseUrl) await dropDatabase(databaseUrl);

  // Flat = no trend: the median of the first minute after the warm-up against the median of the last
  // minute (medians, because single samples swing with the garbage collector's sawtooth).
  const after = samples.filter((s) => s.at > WARMUP);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const window = 60;
  const base = median(after.filter((s) => s.at <= WARMUP + window).map((s) => s.rssMb));
  const end = median(after.filter((s) => s.at > WARMUP + DURATION - window).map((s) => s.rssMb));
  const drift = (end - base) / base;
  const errors = Object.values(failures).reduce((a, b) => a + b, 0) + result.errors + result.timeouts + result.non2xx;
  const report = {
    database: db.version, tenants: db.seeded.tenant, connections: CONNECTIONS, warmupSeconds: WARMUP, durationSeconds: DURATION,
    requests: result.requests.total, rps: result.requests.average, latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    errors, failuresByOperation: failures,
    rss: { firstMinuteMedianMb: base, lastMinuteMedianMb: end, drift, minMb: Math.min(...after.map((s) => s.rssMb)), maxMb: Math.max(...after.map((s) => s.rssMb)), samples },
    pass: errors === 0 && Math.abs(drift) <= 0.1,
  };
  writeFileSync(resolve(process.cwd(), 'bench/soak.json'), JSON.stringify(report, null, 2));
  log(`${report.requests} requests, ${report.rps.toFixed(1)} rps, p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms, errors ${errors}`);
  log(`resident memory after warm-up: median ${base.toFixed(1)} MB in the first minute, ${end.toFixed(1)} MB in the last ` +
    `(${(drift * 100).toFixed(1)}%; samples ${report.rss.minMb.toFixed(1)}–${report.rss.maxMb.toFixed(1)} MB)`);
  log(report.pass ? 'PASS' : 'FAIL');
  return report.pass;
}

main().then((ok) => process.exit(ok ? 0 : 1), (error) => {
  console.error(error);
  process.exit(2);
});
