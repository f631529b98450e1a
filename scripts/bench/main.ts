import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Claims, signToken } from '../../src/platform/auth/tokens';
import { benchConfig } from './config';
import { parseScaleOptions, runScale } from './scale';
import { dropDatabase, newDataSource, pickSubjects, prepareDatabase } from './database';
import type { LoadJob, LoadResult } from './load';
import { clientOperation } from './operations';
import { installPeerRules, PEER_APPROXIMATIONS, PEER_OPERATIONS, PEER_ROLES, PEER_SCRIPT, startPeer } from './peer';
import { IpcChild } from './ipc-child';
import { pairedRatioInterval } from './paired-ratio';
import { measureRuleLayer } from './rule-layer';
import { startVariant, VariantProcess } from './variants';

const REPORT_PATH = resolve(__dirname, '../../../bench/report.json');
const LOAD_SCRIPT = join(__dirname, 'load.js');
/** Connections of each server's pool: the same for the API's two variants and the peer. */
const POOL_SIZE = 10;

interface Options {
  quick: boolean;
  connections: number;
  /** Seconds of measurement per operation and variant. */
  duration: number;
  /** Seconds of warm-up per operation and variant, not measured. */
  warmup: number;
  /** The measured time is split in this many segments of alternating order (A B, B A, …) against drift. */
  rounds: number;
  tenantsPerStatus: number;
  peer: boolean;
  keepDb: boolean;
  out: string;
  /** Operation names to run; all when empty. */
  only: string[];
  /** Where the two variants write V8 CPU profiles of the whole run, when set. */
  cpuProf?: string;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      connections: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      'tenants-per-status': { type: 'string' },
      'no-peer': { type: 'boolean', default: false },
      'keep-db': { type: 'boolean', default: false },
      out: { type: 'string' },
      only: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
  });
  const quick = values.quick ?? false;
  const num = (value: string | undefined, fallback: number, name: string) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const duration = num(values.duration, quick ? 6 : 20, 'duration');
  return {
    quick,
    connections: Math.round(num(values.connections, 10, 'connections')),
    duration,
    warmup: num(values.warmup, quick ? 1.5 : 2, 'warmup'),
    // Half-second segments (quick) or one-second ones, an even number of them (A B, B A, …): on a
    // busy machine the load of others comes and goes within seconds, and short alternating
    // segments share it out fairly.
    rounds: Math.round(num(values.rounds, 2 * Math.max(1, Math.round(duration / (quick ? 1 : 2))), 'rounds')),
    tenantsPerStatus: Math.round(num(values['tenants-per-status'], 3334, 'tenants-per-status')),
    peer: !values['no-peer'],
    keepDb: values['keep-db'] ?? false,
    out: values.out ? resolve(values.out) : REPORT_PATH,
    only: (values.only ?? '').split(',').map((n) => n.trim()).filter(Boolean),
    cpuProf: values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined,
  };
}

const log = (message: string) => console.log(`[bench] ${message}`);

/** One request as the client sends it. */
interface Request {
  url: string;
  headers: Record<string, string>;
  body: string;
}

interface Target {
  url: string;
  headers: Record<string, string>;
  query: string;
  variables: Record<string, unknown>;
}

const request = (t: Target): Request => ({
  url: t.url,
  headers: { 'content-type': 'application/json', ...t.headers },
  body: JSON.stringify({ query: t.query, variables: t.variables }),
});

async function send(r: Request): Promise<{ status: number; body: any }> {
  const res = await fetch(r.url, { method: 'POST', headers: r.headers, body: r.body });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

/** The load generator (load.ts): one child process for the whole run, one job at a time. */
const generator = new IpcChild(LOAD_SCRIPT);
const load = async (job: LoadJob): Promise<LoadResult> => (await generator.ask<{ result: LoadResult }>(job)).result;

interface Measured {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** CPU time of the serving process per response, ms: far less sensitive to other load on the machine than rps. */
  cpuMsPerRequest: number;
  /** Rps of each measured segment, in time order. */
  segmentRps: number[];
  /** Audit INSERTs per response under load (group commit), for a variant that audits. */
  auditInsertsPerRequest?: number;
  /**
   * CPU time of the whole machine per response (API, database, load generator and anything else),
   * and the share of CPU time left idle, over this variant's segments (Linux; undefined elsewhere).
   */
  machineCpuMsPerRequest?: number;
  machineIdle?: number;
  /**
   * Share of the serving process's wall time its event loop was busy: below 1 while every request
   * in flight waits on the database (reads, or the audit INSERT). Undefined for the peer.
   */
  loopBusy?: number;
}

/** What a variant's process has done so far: CPU time (ms) and its audit INSERTs (none for the open variant or the peer). */
interface Sample {
  cpuMs: number;
  auditInserts?: number;
  /** Event loop busy and idle time so far, ms. */
  loop?: { busy: number; idle: number };
}

/** Where a variant is served, and how to read its counters (one read before and one after each segment). */
interface Variant {
  request: Request;
  sample: () => Promise<Sample>;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Busy and idle CPU time of the whole machine so far, ms (from /proc/stat; undefined where there is none). */
function machineCpu(): { busy: number; idle: number } | undefined {
  let line: string;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  } catch {
    return undefined;
  }
  // cpu user nice system idle iowait irq softirq steal …, in clock ticks (USER_HZ, 100 on Linux).
  const [user, nice, system, idle, iowait, irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
  return { busy: (user + nice + system + irq + softirq) * 10, idle: (idle + iowait) * 10 };
}

function combine(results: LoadResult[], cpuMs: number): Measured {
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const requests = results.reduce((n, r) => n + r.requests, 0);
  const seconds = results.reduce((n, r) => n + r.requests / r.rps, 0);
  return {
    rps: seconds > 0 ? requests / seconds : 0,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    requests,
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors + r.timeouts, 0),
    cpuMsPerRequest: requests ? cpuMs / requests : NaN,
    segmentRps: results.map((r) => round(r.rps)),
  };
}

/**
 * Measures several variants of one operation side by side: each warmed up, then the measured time
 * split in rounds whose order alternates (A B, B A, …), so that drift (autovacuum, a growing audit
 * table, the other tenants of the machine) falls on every variant alike.
 */
async function compare(variants: Variant[], options: Options): Promise<Measured[]> {
  for (const v of variants) await load({ ...v.request, connections: options.connections, duration: options.warmup });
  const runs: LoadResult[][] = variants.map(() => []);
  const cpu = variants.map(() => 0);
  const audits: (number | undefined)[] = variants.map(() => undefined);
  const machine = variants.map(() => ({ busy: 0, idle: 0 }));
  const loops = variants.map(() => ({ busy: 0, idle: 0 }));
  const segment = options.duration / options.rounds;
  for (let round = 0; round < options.rounds; round++) {
    const order = variants.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const before = await variants[i].sample();
      const machineBefore = machineCpu();
      runs[i].push(await load({ ...variants[i].request, connections: options.connections, duration: segment }));
      const machineAfter = machineCpu();
      const after = await variants[i].sample();
      if (machineBefore && machineAfter) {
        machine[i].busy += machineAfter.busy - machineBefore.busy;
        machine[i].idle += machineAfter.idle - machineBefore.idle;
      }
      cpu[i] += after.cpuMs - before.cpuMs;
      if (before.loop && after.loop) {
        loops[i].busy += after.loop.busy - before.loop.busy;
        loops[i].idle += after.loop.idle - before.loop.idle;
      }
      if (after.auditInserts !== undefined) audits[i] = (audits[i] ?? 0) + after.auditInserts - (before.auditInserts ?? 0);
    }
  }
  return runs.map((r, i) => {
    const measured = combine(r, cpu[i]);
    const { busy, idle } = machine[i];
    if (busy + idle > 0) {
      measured.machineCpuMsPerRequest = busy / measured.requests;
      measured.machineIdle = idle / (busy + idle);
    }
    if (loops[i].busy + loops[i].idle > 0) measured.loopBusy = loops[i].busy / (loops[i].busy + loops[i].idle);
    if (audits[i] !== undefined) measured.auditInsertsPerRequest = audits[i]! / measured.requests;
    return measured;
  });
}

interface Operation {
  name: string;
  role: string;
  file: string;
  variables: Record<string, unknown>;
  headers: Record<string, string>;
  /** Variants of `variables` whose statement count must be the same (constancy). */
  sizes?: { key: string; values: number[] };
}

/** Compares two GraphQL results' data; the privacy variant adds FORBIDDEN errors but the same data. */
function sameData(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What is wrong with an answer: not HTTP 200, no data, or errors other than the allowed codes. */
function answerProblems(variant: string, answer: { status: number; body: any }, allowed: string[]): string[] {
  const problems: string[] = [];
  if (answer.status !== 200) problems.push(`${variant}: HTTP ${answer.status}`);
  if (!answer.body?.data) problems.push(`${variant}: no data`);
  const unexpected = Object.entries(errorCodes(answer.body)).filter(([code]) => !allowed.includes(code));
  if (unexpected.length) {
    const first = (answer.body?.errors ?? []).find((e: any) => !allowed.includes(String(e?.extensions?.code)));
    problems.push(`${variant}: errors ${JSON.stringify(Object.fromEntries(unexpected))} (first: ${JSON.stringify(first?.message)} at ${JSON.stringify(first?.path)})`);
  }
  return problems;
}

function errorCodes(body: any): Record<string, number> {
  const codes: Record<string, number> = {};
  for (const e of body?.errors ?? []) {
    const code = String(e?.extensions?.code ?? 'UNKNOWN');
    codes[code] = (codes[code] ?? 0) + 1;
  }
  return codes;
}

async function statementsPerRequest(r: Request, server: VariantProcess, times = 3): Promise<{ data: number; audit: number; probe: number }> {
  await send(r); // warm-up
  await server.counters(true);
  for (let i = 0; i < times; i++) {
    const res = await send(r);
    if (res.status !== 200) throw new Error(`statement count: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  const counted = await server.counters();
  return { data: counted.data / times, audit: counted.audit / times, probe: counted.probe / times };
}

/** The version of a package the peer runs with: installed in bench/ (`npm --prefix bench install`), not in the project. */
function peerPackageVersion(name: string): string {
  return JSON.parse(readFileSync(join(dirname(PEER_SCRIPT), 'node_modules', name, 'package.json'), 'utf8')).version;
}

const RULE_LAYER_DESCRIPTION = 'graphql-js execute in-process, 100 tenants × 10 fields, rows from the database served from memory; median ms per execution over alternating rounds';

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** `[low, high]` of the ratio's 95% interval from paired segments, or undefined. */
function interval95(a: number[], b: number[]): [number, number] | undefined {
  const i = pairedRatioInterval(a, b);
  return i && [round(i.low, 3), round(i.high, 3)];
}

/** The ratio's interval as a table cell. */
const spread = (i: [number, number] | undefined) => (i ? `${i[0].toFixed(3)}–${i[1].toFixed(3)}` : '');
const percent = (share: number) => (Number.isFinite(share) ? `${Math.round(share * 100)}%` : '–');

/** Resolves false when an operation could not be measured (it answered errors). */
export async function main(): Promise<boolean> {
  // `--scale N` is a run of its own: N people, every client operation, the database's ceiling.
  if (process.argv.slice(2).some((a) => a === '--scale' || a.startsWith('--scale='))) return runScale(parseScaleOptions(process.argv.slice(2)));
  const options = parseOptions(process.argv.slice(2));
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const started = Date.now();
  const loadAtStart = loadavg()[0];
  log(`${options.quick ? 'quick' : 'full'} run: concurrency ${options.connections}, ${options.duration} s per operation and variant (+${options.warmup} s warm-up)`);

  // Undone in reverse order whatever happens, so that no server, process or database outlives the run.
  const cleanup: (() => unknown)[] = [];
  try {
    return await run(options, databaseUrl, started, loadAtStart, cleanup);
  } finally {
    for (const undo of cleanup.reverse()) {
      try {
        await undo();
      } catch (error) {
        console.error('[bench] cleanup:', error);
      }
    }
  }
}

async function run(options: Options, databaseUrl: string | undefined, started: number, loadAtStart: number, cleanup: (() => unknown)[]): Promise<boolean> {
  if (databaseUrl && !options.keepDb) cleanup.push(() => dropDatabase(databaseUrl, PEER_ROLES));
  const config = benchConfig();
  const db = await prepareDatabase(databaseUrl, options.tenantsPerStatus, log);
  cleanup.push(() => db.close());
  const sign = (claims: Claims) => signToken(claims, config.jwt, 3600);

  // The harness's own connection: picks the subjects and feeds the rule-layer measurement.
  const harnessDs = newDataSource(db.url, 2);
  await harnessDs.initialize();
  cleanup.push(() => harnessDs.destroy());
  const subjects = await pickSubjects(harnessDs);
  log(`contractor ${subjects.contractorName} (${subjects.contractorOrders} work orders), tenant ${subjects.tenantId}`);

  // Each variant in its own process, with its own pool of POOL_SIZE connections.
  const privacyServer = await startVariant({ variant: 'privacy', databaseUrl: db.url, config, poolSize: POOL_SIZE }, options.cpuProf);
  cleanup.push(() => privacyServer.stop());
  const openServer = await startVariant({ variant: 'open', databaseUrl: db.url, config, poolSize: POOL_SIZE }, options.cpuProf);
  cleanup.push(() => openServer.stop());
  const privacyUrl = privacyServer.url;
  const sampleOf = (server: VariantProcess) => async (): Promise<Sample> => {
    const { cpuMs, audit, loopBusyMs, loopIdleMs } = await server.counters();
    return { cpuMs, auditInserts: audit, loop: { busy: loopBusyMs, idle: loopIdleMs } };
  };
  const samplePrivacy = sampleOf(privacyServer);
  cleanup.push(() => generator.stop());

  const bearer = (claims: Claims) => ({ authorization: `Bearer ${sign(claims)}` });
  const allOperations: Operation[] = [
    {
      name: 'TenantList', role: 'staff:LETTING', file: 'staff-dashboard.graphql', variables: { first: 50 },
      headers: { ...bearer({ sub: 'bench-employee', role: 'staff', purposes: ['LETTING'] }), 'x-purpose': 'LETTING' },
      sizes: { key: 'first', values: [10, 50, 100] },
    },
    {
      name: 'TenantDetail', role: 'staff:PRIVACY', file: 'staff-dashboard.graphql', variables: { id: subjects.tenantId },
      headers: { ...bearer({ sub: 'bench-officer', role: 'staff', purposes: ['PRIVACY'] }), 'x-purpose': 'PRIVACY' },
    },
    {
      name: 'MyWorkOrders', role: 'contractor', file: 'contractor-app.graphql', variables: { first: 20 },
      headers: bearer({ sub: 'bench-contractor', role: 'contractor', orgId: subjects.contractorOrgId }),
      sizes: { key: 'first', values: [5, 20, 100] },
    },
    {
      name: 'MyProfile', role: 'tenant', file: 'tenant-app.graphql', variables: {},
      headers: bearer({ sub: 'bench-tenant', role: 'tenant', tenantId: subjects.tenantId }),
    },
  ];

  const unknown = options.only.filter((n) => !allOperations.some((o) => o.name === n));
  if (unknown.length) throw new Error(`--only: unknown operation ${unknown.join(', ')}`);
  const operations = allOperations.filter((o) => !options.only.length || options.only.includes(o.name));

  const rows: any[] = [];
  const warnings: string[] = [];
  const failures: string[] = [];
  for (const op of operations) {
    const query = clientOperation(op.file, op.name);
    const privacy = request({ url: privacyUrl, headers: op.headers, query, variables: op.variables });
    const open = request({ url: openServer.url, headers: op.headers, query, variables: op.variables });

    // Both variants must answer, and with the same data: only the rule layer differs. The privacy
    // variant may refuse fields (FORBIDDEN); any other error makes the numbers meaningless.
    const [p, o] = [await send(privacy), await send(open)];
    const refusals = errorCodes(p.body);
    const problems = [
      ...answerProblems('privacy', p, ['FORBIDDEN']),
      ...answerProblems('open', o, []),
      ...(p.body?.data && o.body?.data && !sameData(p.body.data, o.body.data) ? ["the open variant's data differs from the privacy variant's"] : []),
    ];
    if (problems.length) {
      failures.push(`${op.name}: ${problems.join('; ')}`);
      rows.push({ name: op.name, role: op.role, failed: problems.join('; ') });
      continue;
    }

    const sql = await statementsPerRequest(privacy, privacyServer);
    await openServer.setProbe(true);
    const openSql = await statementsPerRequest(open, openServer);
    await openServer.setProbe(false);
    const readerPerRequest = openSql.probe;
    if (readerPerRequest !== openSql.data) warnings.push(`${op.name}: ScopedReader counted ${readerPerRequest} statements, the DataSource ${openSql.data}`);
    if (openSql.data !== sql.data) warnings.push(`${op.name}: ${sql.data} statements with privacy, ${openSql.data} without`);
    const sqlBySize: Record<string, number> = {};
    if (op.sizes) {
      for (const size of op.sizes.values) {
        const variant = request({ url: privacyUrl, headers: op.headers, query, variables: { ...op.variables, [op.sizes.key]: size } });
        sqlBySize[String(size)] = (await statementsPerRequest(variant, privacyServer, 2)).data;
      }
    }
    const sqlConstant = Object.values(sqlBySize).every((n) => n === sql.data);
    if (!sqlConstant) warnings.push(`${op.name}: statements per request vary with the page size ${JSON.stringify(sqlBySize)}`);

    log(`${op.name}: measuring privacy-on vs open (${sql.data} statements per request)…`);
    const [mp, mo] = await compare([
      { request: privacy, sample: samplePrivacy },
      { request: open, sample: sampleOf(openServer) },
    ], options);
    for (const [variant, m] of [['privacy', mp], ['open', mo]] as const) {
      if (m.non2xx || m.errors) warnings.push(`${op.name} (${variant}): ${m.non2xx} non-2xx responses, ${m.errors} errors/timeouts under load`);
    }
    rows.push({
      name: op.name,
      role: op.role,
      rpsPrivacy: round(mp.rps),
      rpsOpen: round(mo.rps),
      ratio: round(mp.rps / mo.rps, 3),
      // Beyond the required fields: how precisely this run measured it (per-round ratios, 95%).
      ratioInterval95: interval95(mp.segmentRps, mo.segmentRps),
      p50Ms: round(mp.p50Ms, 2),
      p99Ms: round(mp.p99Ms, 2),
      sqlPerRequest: sql.data,
      // Beyond the required fields:
      auditSqlPerRequest: sql.audit,
      auditInsertsPerRequestUnderLoad: round(mp.auditInsertsPerRequest ?? NaN, 3),
      sqlByPageSize: op.sizes ? { [op.sizes.key]: sqlBySize } : undefined,
      sqlConstant,
      cpuMsPerRequest: round(mp.cpuMsPerRequest, 3),
      cpuMsPerRequestOpen: round(mo.cpuMsPerRequest, 3),
      /** open CPU / privacy CPU: what `ratio` would be if the API process alone were the bottleneck. */
      cpuRatio: round(mo.cpuMsPerRequest / mp.cpuMsPerRequest, 3),
      machineCpuMsPerRequest: round(mp.machineCpuMsPerRequest ?? NaN, 3),
      machineCpuMsPerRequestOpen: round(mo.machineCpuMsPerRequest ?? NaN, 3),
      machineIdle: round(mp.machineIdle ?? NaN, 3),
      machineIdleOpen: round(mo.machineIdle ?? NaN, 3),
      loopBusy: round(mp.loopBusy ?? NaN, 3),
      loopBusyOpen: round(mo.loopBusy ?? NaN, 3),
      segmentRps: { privacy: mp.segmentRps, open: mo.segmentRps },
      p50MsOpen: round(mo.p50Ms, 2),
      p99MsOpen: round(mo.p99Ms, 2),
      requests: { privacy: mp.requests, open: mo.requests },
      refusals,
      variables: op.variables,
    });
  }

  // The peer: PostGraphile 5 with the rules as RLS policies and column grants (PostgreSQL only).
  let peerReport: Record<string, unknown>;
  if (!options.peer) {
    peerReport = { name: 'postgraphile', skipped: 'disabled with --no-peer', operations: [] };
  } else if (db.kind !== 'postgresql') {
    peerReport = { name: 'postgraphile', skipped: 'needs PostgreSQL: set DATABASE_URL (PGlite serves one session)', operations: [] };
  } else {
    await installPeerRules(db.url);
    const peer = await startPeer(db.url, config.jwt, POOL_SIZE);
    cleanup.push(() => peer.stop());
    const peerRows: any[] = [];
    for (const name of ['TenantList', 'MyWorkOrders'] as const) {
      const op = operations.find((o) => o.name === name);
      if (!op || rows.find((r) => r.name === name)?.failed) continue;
      const ours = request({ url: privacyUrl, headers: op.headers, query: clientOperation(op.file, op.name), variables: op.variables });
      const theirs = request({ url: peer.url, headers: op.headers, query: PEER_OPERATIONS[name], variables: { first: op.variables.first } });
      const answer = await send(theirs);
      if (answer.status !== 200 || !answer.body?.data || answer.body.errors) {
        throw new Error(`peer ${name}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
      }
      const before = (await peer.stats()).statements;
      const times = 3;
      for (let i = 0; i < times; i++) await send(theirs);
      const peerStatements = ((await peer.stats()).statements - before) / times;

      log(`${name}: measuring ours (privacy-on) vs PostGraphile…`);
      const [mOurs, mPeer] = await compare([{ request: ours, sample: samplePrivacy }, { request: theirs, sample: async () => ({ cpuMs: await peer.cpuMs() }) }], options);
      if (mPeer.non2xx || mPeer.errors) warnings.push(`peer ${name}: ${mPeer.non2xx} non-2xx responses, ${mPeer.errors} errors/timeouts under load`);
      peerRows.push({
        name,
        rpsOurs: round(mOurs.rps),
        rpsPeer: round(mPeer.rps),
        ratio: round(mOurs.rps / mPeer.rps, 3),
        ratioInterval95: interval95(mOurs.segmentRps, mPeer.segmentRps),
        p50MsOurs: round(mOurs.p50Ms, 2),
        p99MsOurs: round(mOurs.p99Ms, 2),
        p50MsPeer: round(mPeer.p50Ms, 2),
        p99MsPeer: round(mPeer.p99Ms, 2),
        cpuMsPerRequestOurs: round(mOurs.cpuMsPerRequest, 3),
        cpuMsPerRequestPeer: round(mPeer.cpuMsPerRequest, 3),
        peerStatementsPerRequest: peerStatements,
      });
    }
    peerReport = {
      name: 'postgraphile',
      version: peerPackageVersion('postgraphile'),
      operations: peerRows,
      queries: PEER_OPERATIONS,
      approximations: PEER_APPROXIMATIONS,
    };
  }

  // Last, once the servers and the peer are idle: in-process timings want a quiet machine.
  log(`rule layer alone: ${RULE_LAYER_DESCRIPTION}…`);
  const ruleLayer = await measureRuleLayer(harnessDs);

  if (loadAtStart > cpus().length * 0.5) {
    warnings.push(`the machine was busy before the run (load average ${loadAtStart.toFixed(1)} on ${cpus().length} CPUs): absolute numbers are low and noisy; the ratios are measured side by side, in alternating rounds`);
  }
  const measured = rows.filter((r) => !r.failed);
  const myWorkOrders = measured.find((r) => r.name === 'MyWorkOrders');
  const report = {
    machine: {
      os: `${osType()} ${release()} ${arch()}`,
      cpus: { model: cpus()[0]?.model, count: cpus().length },
      memoryGb: round(totalmem() / 1024 ** 3, 1),
      node: process.version,
      // 1-minute load average before the run (others' work) and at its end (includes the run's own).
      loadAverage: { start: round(loadAtStart, 2), end: round(loadavg()[0], 2) },
      nodeEnv: process.env.NODE_ENV,
      database: { kind: db.kind, version: db.version, seeded: db.seeded, seedSeconds: round(db.seedSeconds, 1) },
    },
    settings: {
      quick: options.quick,
      connections: options.connections,
      durationSeconds: options.duration,
      warmupSeconds: options.warmup,
      rounds: options.rounds,
      poolSize: POOL_SIZE,
    },
    operations: rows,
    ruleLayer: { ...ruleLayer, method: RULE_LAYER_DESCRIPTION },
    peer: peerReport,
    checks: {
      ruleLayerUnder10Percent: ruleLayer.servedOverhead < 0.1,
      ratioAtLeast090: Object.fromEntries(rows.map((r) => [r.name, !r.failed && r.ratio >= 0.9])),
      sqlPerRequestConstant: rows.every((r) => !r.failed && r.sqlConstant),
      allOperationsAnswered: failures.length === 0,
      myWorkOrdersP99Under50Ms: myWorkOrders ? myWorkOrders.p99Ms < 50 : false,
      onPostgreSQL: db.kind === 'postgresql',
      peerMeasured: Array.isArray((peerReport as any).operations) && (peerReport as any).operations.length > 0,
    },
    failures,
    warnings,
    generatedAt: new Date().toISOString(),
    elapsedSeconds: 0,
  };
  report.elapsedSeconds = round((Date.now() - started) / 1000, 0);

  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
  printReport(report);
  log(`report written to ${options.out}`);
  return failures.length === 0;
}

function printReport(report: any): void {
  const m = report.machine;
  console.log('');
  console.log(`${m.os} · ${m.cpus.count}× ${m.cpus.model} · ${m.memoryGb} GB · Node ${m.node} · ${m.database.kind} (${String(m.database.version).split(' on ')[0]}) · ${m.database.seeded.tenant} tenants`);
  console.log(`concurrency ${report.settings.connections}, ${report.settings.durationSeconds} s per operation and variant`);
  console.log('');
  table(
    ['operation', 'role', 'rps privacy', 'rps open', 'ratio', '95%', 'p50 ms', 'p99 ms', 'p99 open', 'cpu ms/req', 'cpu open', 'cpu ratio', 'loop busy', 'sql/req', 'by page size'],
    report.operations.map((r: any) => r.failed ? [r.name, r.role, 'FAILED (see below)'] : [
      r.name, r.role, r.rpsPrivacy, r.rpsOpen, r.ratio.toFixed(3), spread(r.ratioInterval95), r.p50Ms, r.p99Ms, r.p99MsOpen,
      r.cpuMsPerRequest.toFixed(2), r.cpuMsPerRequestOpen.toFixed(2), r.cpuRatio.toFixed(3),
      `${percent(r.loopBusy)} / ${percent(r.loopBusyOpen)}`,
      `${r.sqlPerRequest} +${r.auditSqlPerRequest} audit`,
      r.sqlByPageSize ? Object.entries(Object.values(r.sqlByPageSize)[0] as Record<string, number>).map(([k, v]) => `${k}:${v}`).join(' ') : '',
    ]),
  );
  console.log('');
  if (report.peer.skipped) {
    console.log(`peer ${report.peer.name}: skipped — ${report.peer.skipped}`);
  } else {
    console.log(`peer: ${report.peer.name} ${report.peer.version} (RLS + column grants); ratio = ours / peer`);
    table(
      ['operation', 'rps ours', 'rps peer', 'ratio', '95%', 'p50 ours', 'p50 peer', 'p99 ours', 'p99 peer', 'cpu ours', 'cpu peer', 'peer stmts/req'],
      report.peer.operations.map((r: any) => [
        r.name, r.rpsOurs, r.rpsPeer, r.ratio.toFixed(3), spread(r.ratioInterval95), r.p50MsOurs, r.p50MsPeer, r.p99MsOurs, r.p99MsPeer,
        r.cpuMsPerRequestOurs.toFixed(2), r.cpuMsPerRequestPeer.toFixed(2), r.peerStatementsPerRequest,
      ]),
    );
  }
  const rl = report.ruleLayer;
  console.log(`rule layer alone (${rl.rows} rows × ${rl.fields} fields, in-process): plain ${rl.plainMs.toFixed(2)} ms · guard ${rl.guardMs.toFixed(2)} ms (+${(rl.guardOverhead * 100).toFixed(1)}%) · served (guard + entry-point shield) ${rl.servedMs.toFixed(2)} ms (+${(rl.servedOverhead * 100).toFixed(1)}%)`);
  console.log('');
  const c = report.checks;
  const failing = Object.entries(c.ratioAtLeast090).filter(([, ok]) => !ok).map(([name]) => {
    const r = report.operations.find((o: any) => o.name === name);
    return r?.ratioInterval95 ? `${name} ${r.ratio.toFixed(3)}, 95% ${spread(r.ratioInterval95)}` : name;
  });
  console.log(`rule layer < 10%: ${c.ruleLayerUnder10Percent ? 'yes' : 'NO'} · ratio ≥ 0.90: ${failing.length ? `NO (${failing.join(', ')})` : 'yes'} · sqlPerRequest constant: ${c.sqlPerRequestConstant ? 'yes' : 'NO'} · MyWorkOrders p99 < 50 ms: ${c.myWorkOrdersP99Under50Ms ? 'yes' : 'NO'}${c.onPostgreSQL ? '' : ' (embedded; the criterion is on PostgreSQL)'} · peer measured: ${c.peerMeasured ? 'yes' : 'no'}`);
  for (const w of report.warnings) console.log(`warning: ${w}`);
  for (const f of report.failures) console.log(`FAILED: ${f}`);
}

function table(head: string[], body: unknown[][]): void {
  const cells = [head, ...body.map((row) => head.map((_, i) => String(row[i] ?? '')))];
  const widths = head.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const numeric = head.map((_, i) => body.every((row) => row.length <= i || typeof row[i] === 'number' || /^[\d.]+$/.test(String(row[i]))));
  const line = (row: string[]) => row.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  console.log(line(cells[0]));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of cells.slice(1)) console.log(line(row));
}
