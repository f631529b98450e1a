/**
 * `npm run bench -- --scale N`: every client operation that reads people, on a database of N people
 * (scripts/lib/scale-data.ts, the seeder the plan tests use), served by the real server, at each
 * concurrency of `--connections` (1 and 10); with `--workers W`, by the real server with W worker
 * processes. Beside each, the database's ceiling: the statements the operation sent and its audit
 * event, replayed on as many connections with nothing else in between; and the statements alone.
 * Writes bench/scale.json and prints a table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import type { AuditRecord } from '../../src/platform/audit/audit-hash';
import { AuditSink, ChainedAuditWriter } from '../../src/platform/audit/audit-writer';
import { Claims, signToken } from '../../src/platform/auth/tokens';
import { PREPARE } from '../../src/platform/db/prepared-client';
import { startupOptions } from '../../src/platform/db/session-settings';
import { loadScaleData } from '../lib/scale-data';
import { benchConfig } from './config';
import { startCluster } from './cluster-server';
import { dropDatabase, newDataSource, prepareDatabase } from './database';
import { IpcChild } from './ipc-child';
import type { LoadJob, LoadResult } from './load';
import { clientOperation } from './operations';
import { startVariant } from './variants';

const SCALE_REPORT_PATH = resolve(__dirname, '../../../bench/scale.json');

export interface ScaleOptions {
  people: number;
  /** Audit events to seed; as many as people unless given. */
  auditEvents: number;
  /** Concurrencies to measure at, each with its own ceiling. */
  connections: number[];
  /** Seconds of measurement per operation and concurrency (the ceiling gets as long). */
  duration: number;
  warmup: number;
  keepDb: boolean;
  out: string;
  only: string[];
  /** Worker processes of the measured server (WORKERS); 1: the single-process server the statements are recorded from. */
  workers: number;
}

/** `--scale N [--audit-events M] [--connections 1,10] [--duration S] [--warmup S] [--workers W] [--keep-db] [--out FILE] [--only A,B]`. */
export function parseScaleOptions(argv: string[]): ScaleOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string' },
      'audit-events': { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      'keep-db': { type: 'boolean', default: false },
      out: { type: 'string' },
      only: { type: 'string' },
      workers: { type: 'string' },
    },
  });
  const positive = (value: string, name: string, integer: boolean) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
      throw new Error(`--${name} must be a positive ${integer ? 'whole ' : ''}number, not ${JSON.stringify(value)}`);
    }
    return n;
  };
  if (values.scale === undefined) throw new Error('--scale N: the number of people to seed');
  // 10 dwellings, orders and the like per person stay within PostgreSQL's int range in generate_series.
  const people = positive(values.scale.replace(/_/g, ''), 'scale', true);
  if (people > 20_000_000) throw new Error('--scale must be at most 20,000,000');
  const auditEvents = values['audit-events'] === undefined ? people : positive(values['audit-events'].replace(/_/g, ''), 'audit-events', true);
  if (auditEvents > 50_000_000) throw new Error('--audit-events must be at most 50,000,000');
  return {
    people,
    auditEvents,
    connections: (values.connections ?? '1,10').split(',').map((c) => positive(c, 'connections', true)),
    duration: values.duration === undefined ? 5 : positive(values.duration, 'duration', false),
    warmup: values.warmup === undefined ? 1 : positive(values.warmup, 'warmup', false),
    keepDb: values['keep-db'] ?? false,
    out: values.out ? resolve(values.out) : SCALE_REPORT_PATH,
    only: (values.only ?? '').split(',').map((n) => n.trim()).filter(Boolean),
    workers: values.workers === undefined ? 1 : positive(values.workers, 'workers', true),
  };
}

interface ScaleOperation {
  name: string;
  file: string;
  operation: string;
  headers: Record<string, string>;
  variables: Record<string, unknown>;
}

interface Ceiling {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Rounds completed, in `elapsed` seconds; each round's latency, ms, sorted. */
  requests: number;
  elapsed: number;
  latencies: number[];
}

/** A run measured in segments, put together: its rate over all of them, its latencies from all. */
export function combined(segments: { requests: number; elapsed: number; latencies: number[] }[]) {
  const requests = segments.reduce((n, s) => n + s.requests, 0);
  const elapsed = segments.reduce((n, s) => n + s.elapsed, 0);
  const latencies = segments.flatMap((s) => s.latencies).sort((a, b) => a - b);
  return { requests, rps: requests / elapsed, latencies, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Prepared statement names unique per replay and connection: the embedded database has one session for all. */
let replays = 0;

/** What a replay stores beside the statements: the request's audit records, through a writer as the server's. */
export interface CeilingAudit {
  writer: AuditSink;
  events: AuditRecord[];
}

/**
 * The database's ceiling for one operation: its statements, as the server sent them, in a loop on
 * `connections` sessions with the API's session settings, prepared where the API prepares them;
 * with `audit`, each round also stores the request's audit events through a group-committing writer
 * as the server does (the response may not leave before its event is stored, so that INSERT and
 * its commit are part of what the database does per request). A loop in Node rather than pgbench:
 * the same code serves the embedded database (pgbench would need a script per statement and its
 * parameters typed by hand), and it reaches the statements' rate with the driver's own cost
 * included, as the API pays it.
 */
export async function replayCeiling(
  url: string, statements: { sql: string; params: unknown[] }[], connections: number, seconds: number, audit?: CeilingAudit,
): Promise<Ceiling> {
  const clients = await Promise.all(Array.from({ length: connections }, async () => {
    const client = new Client({ connectionString: url, options: startupOptions() });
    await client.connect();
    return client;
  }));
  const latencies: number[] = [];
  const replay = ++replays;
  // The writer gathers the events of rounds still running, as the server's does with its requests.
  let running = 0;
  audit?.writer.watchRequests?.(() => running);
  try {
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(clients.map(async (client, c) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        running++;
        try {
          for (const [i, s] of statements.entries()) {
            const prepared = s.sql.endsWith(PREPARE);
            await client.query(prepared ? { name: `ceiling_${replay}_${c}_${i}`, text: s.sql, values: s.params as unknown[] } : { text: s.sql, values: s.params as unknown[] });
          }
          if (audit) await Promise.all(audit.events.map((event) => audit.writer.append(event)));
        } finally {
          running--;
        }
        latencies.push(performance.now() - t0);
      }
    }));
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return { rps: latencies.length / elapsed, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), requests: latencies.length, elapsed, latencies };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

const log = (message: string) => console.log(`[bench --scale] ${message}`);

export async function runScale(options: ScaleOptions): Promise<boolean> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const loadAtStart = loadavg()[0];
  const cleanup: (() => unknown)[] = [];
  try {
    if (databaseUrl && !options.keepDb) cleanup.push(() => dropDatabase(databaseUrl));
    const config = benchConfig();
    // The demo seed for the organisations, the privacy statement and a few of everything; then N people.
    const db = await prepareDatabase(databaseUrl, 5, log);
    cleanup.push(() => db.close());
    log(`seeding ${options.people.toLocaleString('en')} people…`);
    const seedStarted = Date.now();
    const data = await loadScaleData(db.url, options.people, options.auditEvents);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    log(`seeded and VACUUM ANALYZEd in ${seedSeconds.toFixed(0)} s`);

    const probe = new Client({ connectionString: db.url });
    await probe.connect();
    let email: string;
    let postcode: string;
    let counts: Record<string, number>;
    try {
      [{ email, postcode }] = (await probe.query(`SELECT t.email, d.postal_code AS postcode FROM tenant t JOIN lease l ON l.tenant_id = t.id
        JOIN dwelling d ON d.id = l.dwelling_id WHERE t.id = $1`, [data.tenantId])).rows;
      counts = Object.fromEntries((await probe.query(`SELECT relname, reltuples::bigint AS n FROM pg_class
        WHERE relname IN ('tenant', 'lease', 'work_order', 'invoice', 'audit_event', 'dwelling') ORDER BY relname`)).rows.map((r) => [r.relname, Number(r.n)]));
    } finally {
      await probe.end();
    }

    const server = await startVariant({ variant: 'privacy', databaseUrl: db.url, config, poolSize: 10 });
    cleanup.push(() => server.stop());
    // The ceiling's own audit chain, keyed and group-committed as the server's.
    const ceilingSource = newDataSource(db.url, 1);
    await ceilingSource.initialize();
    cleanup.push(() => ceilingSource.destroy());
    const ceilingWriter = new ChainedAuditWriter(ceilingSource, { chain: `bench-ceiling-${process.pid}`, key: config.audit.key });
    cleanup.push(() => ceilingWriter.close());
    // With --workers the load goes to the real server with that many workers; the statements are still recorded from the variant.
    let servedUrl = server.url;
    if (options.workers > 1) {
      if (!databaseUrl) throw new Error('--workers above 1 needs DATABASE_URL: the embedded database is one session that one process opens');
      log(`starting the server with WORKERS=${options.workers}…`);
      const cluster = await startCluster(db.url, config, options.workers);
      cleanup.push(() => cluster.stop());
      servedUrl = cluster.url;
    }
    const generator = new IpcChild(join(__dirname, 'load.js'));
    cleanup.push(() => generator.stop());
    const load = async (job: LoadJob) => (await generator.ask<{ result: LoadResult }>(job)).result;

    const bearer = (claims: Claims) => ({ authorization: `Bearer ${signToken(claims, config.jwt, 3600)}` });
    const letting = { ...bearer({ sub: 'bench-employee', role: 'staff', purposes: ['LETTING'] }), 'x-purpose': 'LETTING' };
    const officer = { ...bearer({ sub: 'bench-officer', role: 'staff', purposes: ['PRIVACY'] }), 'x-purpose': 'PRIVACY' };
    const repairs = { ...bearer({ sub: 'bench-repairs', role: 'staff', purposes: ['REPAIRS'] }), 'x-purpose': 'REPAIRS' };
    const tenant = bearer({ sub: 'bench-tenant', role: 'tenant', tenantId: data.tenantId });
    const contractor = bearer({ sub: 'bench-contractor', role: 'contractor', orgId: data.largestContractorId });
    const send = async (op: Pick<ScaleOperation, 'file' | 'operation' | 'headers' | 'variables'>) => {
      const res = await fetch(server.url, {
        method: 'POST', headers: { 'content-type': 'application/json', ...op.headers },
        body: JSON.stringify({ query: clientOperation(op.file, op.operation), variables: op.variables }),
      });
      return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
    };

    // The 21st page's cursor, as a client paging on would hold it.
    const pageSize = 25;
    let after: string | null = null;
    for (let page = 1; page <= 20; page++) {
      const { body } = await send({ file: 'staff-dashboard.graphql', operation: 'TenantList', headers: letting, variables: { first: pageSize, after } });
      after = body?.data?.tenants?.pageInfo?.endCursor ?? null;
      if (!after) throw new Error(`TenantList page ${page} has no endCursor: ${JSON.stringify(body).slice(0, 300)}`);
    }
    const list = (name: string, variables: Record<string, unknown>): ScaleOperation => ({
      name, file: 'staff-dashboard.graphql', operation: 'TenantList', headers: letting, variables: { first: pageSize, ...variables },
    });
    const all: ScaleOperation[] = [
      list('TenantList, page 1', {}),
      list('TenantList, page 21', { after }),
      list(`search: common surname (${data.commonSurname})`, { search: data.commonSurname }),
      // Search matches names, email, phone and IBAN, not addresses: a postcode finds what its letters match in names.
      list(`search: postcode (${postcode})`, { search: postcode }),
      list('search: no match', { search: 'Qwzxyv' }),
      list('search: exact email (LETTING)', { search: email }),
      { name: 'TenantDetail (PRIVACY)', file: 'staff-dashboard.graphql', operation: 'TenantDetail', headers: officer, variables: { id: data.tenantId } },
      { name: 'MyWorkOrders (largest contractor)', file: 'contractor-app.graphql', operation: 'MyWorkOrders', headers: contractor, variables: { first: 20 } },
      { name: 'OpenWorkOrders (REPAIRS)', file: 'staff-dashboard.graphql', operation: 'OpenWorkOrders', headers: repairs, variables: { first: 25 } },
      { name: 'MyProfile', file: 'tenant-app.graphql', operation: 'MyProfile', headers: tenant, variables: {} },
      { name: 'myAccessLog', file: 'tenant-app.graphql', operation: 'MyAccessLog', headers: tenant, variables: { first: 20 } },
      { name: 'auditLog by tenant (PRIVACY)', file: 'staff-dashboard.graphql', operation: 'AuditLog', headers: officer, variables: { tenantId: data.tenantId, first: 20 } },
    ];
    const operations = all.filter((o) => !options.only.length || options.only.some((n) => o.name.startsWith(n)));
    if (!operations.length) throw new Error(`--only matches none of: ${all.map((o) => o.name).join('; ')}`);

    const rows: Record<string, unknown>[] = [];
    const failures: string[] = [];
    for (const op of operations) {
      await server.setRecording(true);
      await server.counters(true);
      const answer = await send(op);
      const { statements, auditEvents } = await server.recorded();
      await server.setRecording(false);
      if (!statements.length) {
        failures.push(`${op.name}: no statement recorded, so no ceiling to replay`);
        continue;
      }
      const wrong = (answer.body?.errors ?? []).filter((e: any) => e?.extensions?.code !== 'FORBIDDEN');
      if (answer.status !== 200 || !answer.body?.data || wrong.length) {
        failures.push(`${op.name}: HTTP ${answer.status} ${JSON.stringify(wrong[0] ?? answer.body).slice(0, 300)}`);
        continue;
      }
      const body = JSON.stringify({ query: clientOperation(op.file, op.operation), variables: op.variables });
      for (const connections of options.connections) {
        log(`${op.name}: c=${connections}…`);
        const job: LoadJob = { url: servedUrl, headers: { 'content-type': 'application/json', ...op.headers }, body, connections, duration: options.duration };
        await load({ ...job, duration: options.warmup });
        // The API, its ceiling and the reads alone in alternating segments of about a second (A B C,
        // C B A, …): the host's drift over the measurement falls on all three alike, as their
        // ratio needs. Measured one after the other, the same code's share moved 0.3–0.5.
        const segments = Math.max(1, Math.round(options.duration));
        const seconds = options.duration / segments;
        const apiRuns: LoadResult[] = [];
        const ceilingRuns: Ceiling[] = [];
        const readsRuns: Ceiling[] = [];
        const runs = [
          async () => { apiRuns.push(await load({ ...job, duration: seconds })); },
          async () => { ceilingRuns.push(await replayCeiling(db.url, statements, connections, seconds, { writer: ceilingWriter, events: auditEvents })); },
          async () => { readsRuns.push(await replayCeiling(db.url, statements, connections, seconds)); },
        ];
        for (let segment = 0; segment < segments; segment++) {
          for (const run of segment % 2 ? [...runs].reverse() : runs) await run();
        }
        // autocannon's own duration, not its start-up, is what its requests took.
        const measured = combined(apiRuns.map((r) => ({ requests: r.requests, elapsed: r.rps > 0 ? r.requests / r.rps : r.elapsed, latencies: r.latencies })));
        const ceiling = combined(ceilingRuns);
        const reads = combined(readsRuns);
        const non2xx = apiRuns.reduce((n, r) => n + r.non2xx, 0);
        const errors = apiRuns.reduce((n, r) => n + r.errors + r.timeouts, 0);
        if (non2xx || errors) failures.push(`${op.name} c=${connections}: ${non2xx} non-2xx, ${errors} errors under load`);
        rows.push({
          name: op.name,
          connections,
          p50Ms: round(measured.p50Ms, 2),
          p99Ms: round(measured.p99Ms, 2),
          rps: round(measured.rps),
          ceilingRps: round(ceiling.rps),
          // Beyond the required fields:
          ofCeiling: round(measured.rps / ceiling.rps, 2),
          ceilingP50Ms: round(ceiling.p50Ms, 2),
          readsCeilingRps: round(reads.rps),
          statements: statements.length,
          auditEvents: auditEvents.length,
          // Closed fields in the answer (FORBIDDEN, one error each): each costs the API an error to build and send.
          refusals: (answer.body?.errors ?? []).length,
          requests: measured.requests,
        });
      }
    }

    // Last: the events it appends would otherwise sit in this month's partition, unanalysed, under the reads.
    const auditInsert = await measureAuditInsert(db.url, options);
    const report = {
      people: options.people,
      machine: {
        os: `${osType()} ${release()} ${arch()}`,
        cpus: { model: cpus()[0]?.model, count: cpus().length },
        memoryGb: round(totalmem() / 1024 ** 3, 1),
        node: process.version,
        loadAverage: { start: round(loadAtStart, 2), end: round(loadavg()[0], 2) },
        database: { kind: db.kind, version: db.version, rows: counts, seedSeconds: round(seedSeconds, 0) },
      },
      settings: { connections: options.connections, durationSeconds: options.duration, warmupSeconds: options.warmup, poolSize: 10, workers: options.workers },
      operations: rows,
      auditInsert,
      failures,
      generatedAt: new Date().toISOString(),
    };
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
    printScaleTable(report);
    for (const r of auditInsert) {
      console.log(`audit INSERT of one event beside ${options.auditEvents.toLocaleString('en')} events, c=${r.connections}: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.rps} rps`);
    }
    for (const f of failures) console.log(`FAILED: ${f}`);
    log(`report written to ${options.out}`);
    return failures.length === 0;
  } finally {
    for (const undo of cleanup.reverse()) await Promise.resolve(undo()).catch((error) => console.error(error));
  }
}

/**
 * What appending costs beside a trail of `auditEvents` events: one event per INSERT (its tenant
 * index entry written by the table's trigger, as for the server's), in a chain of its own, at each
 * concurrency, with the API's session settings. Flat means the same at any size of the trail.
 */
async function measureAuditInsert(url: string, options: ScaleOptions): Promise<{ connections: number; p50Ms: number; p99Ms: number; rps: number }[]> {
  const setup = new Client({ connectionString: url });
  await setup.connect();
  try {
    await setup.query('CREATE SEQUENCE IF NOT EXISTS bench_audit_insert_seq');
  } finally {
    await setup.end();
  }
  const insert = {
    sql: `INSERT INTO audit_event (chain, seq, at, actor_sub, role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash)
      SELECT 'bench-insert', s, now(), 'bench-employee', 'staff', NULL, 'LETTING', 'query TenantList',
        ARRAY[md5('t' || (1 + s % $1::int))::uuid], ARRAY['Tenant.firstName'], NULL, md5(s::text)
      FROM nextval('bench_audit_insert_seq') AS s`,
    params: [options.people],
  };
  const results = [];
  for (const connections of options.connections) {
    log(`audit INSERT: c=${connections}…`);
    const r = await replayCeiling(url, [insert], connections, options.duration);
    results.push({ connections, p50Ms: round(r.p50Ms, 3), p99Ms: round(r.p99Ms, 3), rps: round(r.rps) });
  }
  return results;
}

function printScaleTable(report: { people: number; machine: any; operations: Record<string, unknown>[] }): void {
  const m = report.machine;
  console.log('');
  console.log(`${report.people.toLocaleString('en')} people · ${m.os} · ${m.cpus.count}× ${m.cpus.model} · Node ${m.node} · ${m.database.kind} (${String(m.database.version).split(' on ')[0]})`);
  const head = ['operation', 'c', 'p50 ms', 'p99 ms', 'rps', 'ceiling rps', 'of ceiling', 'reads alone rps', 'statements'];
  const cells = [head, ...report.operations.map((r) => [r.name, r.connections, r.p50Ms, r.p99Ms, r.rps, r.ceilingRps, r.ofCeiling, r.readsCeilingRps, `${r.statements} + ${r.auditEvents} audit`].map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(cells[0]));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of cells.slice(1)) console.log(line(row));
}
