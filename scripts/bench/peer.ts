/**
 * The peer of the benchmark: PostGraphile 5 on the same database, with the rules of POLICY.md that
 * TenantList (staff, purpose LETTING) and MyWorkOrders (contractor) need, written as PostgreSQL
 * row-level security policies and column grants. It runs as its own process (bench/postgraphile-peer.mjs).
 *
 * Where the peer is not exactly the API (no GraphQL-level refusal errors, closure per tenant rather
 * than per order…) is listed in PEER_APPROXIMATIONS and lands in the report.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import type { JwtSettings } from '../../src/platform/auth/tokens';
import type { Role } from '../../src/platform/auth/audiences';
import { compiled, openRowsWhere, TableType } from '../../src/privacy/policy/compiled';
import { toSql } from '../../src/privacy/policy/scope-expr';

export const PEER_SCRIPT = resolve(__dirname, '../../../bench/postgraphile-peer.mjs');

/**
 * The rows of `type` whose personal fields `role` reads, from the policy's scope expressions, as an
 * RLS condition: the caller's organisation is the transaction's `jwt.claims.org_id`. The peer has no
 * per-row closing, so a row is visible only while it is open.
 */
function rlsOpenRows(type: TableType, role: Role): string {
  const where = openRowsWhere(compiled.tableOf.get(type)!, role);
  if (!where) throw new Error(`the policy gives ${role} no rows of ${type}`);
  return toSql(where, (name) => {
    if (name !== 'orgId') throw new Error(`the peer models no ${name} claim`);
    return 'bench_rls.org_id()';
  });
}

/** The rows of `type` that `role` reaches (closed ones included), as an RLS condition. */
function rlsRows(type: TableType, role: Role): string {
  return toSql(compiled.tableOf.get(type)!.scopes.get(role)!.where, () => 'bench_rls.org_id()');
}

/** The peer's roles (cluster-wide: created when missing, dropped with the benchmark database). */
export const PEER_ROLES = ['bench_anonymous', 'bench_staff', 'bench_contractor'] as const;

/**
 * Roles are cluster-wide, so they are created only when missing; everything else lives in the
 * benchmark database and goes with it. The API's own connection owns the tables and so bypasses RLS:
 * enabling it changes nothing for the two variants measured against the peer.
 */
export const PEER_SETUP_SQL = [
  `DO $$ BEGIN
     IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bench_anonymous') THEN CREATE ROLE bench_anonymous NOLOGIN; END IF;
     IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bench_staff') THEN CREATE ROLE bench_staff NOLOGIN; END IF;
     IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bench_contractor') THEN CREATE ROLE bench_contractor NOLOGIN; END IF;
   END $$`,

  // Helpers outside the schema PostGraphile exposes. The view runs with its owner's rights, so a
  // policy can ask "is this tenant restricted?" without recursing into the tenant's own policies.
  `CREATE SCHEMA bench_rls`,
  `CREATE FUNCTION bench_rls.org_id() RETURNS uuid LANGUAGE sql STABLE
     AS $$ SELECT nullif(current_setting('jwt.claims.org_id', true), '')::uuid $$`,
  `CREATE VIEW bench_rls.restricted_tenant AS SELECT id FROM public.tenant WHERE restricted`,
  `GRANT USAGE ON SCHEMA bench_rls TO bench_staff, bench_contractor`,
  `GRANT SELECT ON bench_rls.restricted_tenant TO bench_staff, bench_contractor`,
  `GRANT USAGE ON SCHEMA public TO bench_anonymous, bench_staff, bench_contractor`,

  `ALTER TABLE tenant ENABLE ROW LEVEL SECURITY`,
  `ALTER TABLE lease ENABLE ROW LEVEL SECURITY`,
  `ALTER TABLE dwelling ENABLE ROW LEVEL SECURITY`,
  `ALTER TABLE work_order ENABLE ROW LEVEL SECURITY`,

  // Staff, purpose LETTING: every tenant not restricted; the columns LETTING reads (POLICY.md
  // "Field visibility"); leases and dwellings for the address of the dwelling let.
  `GRANT SELECT (id, first_name, last_name, date_of_birth, email, phone, income_category, household_size, status, registered_at)
     ON tenant TO bench_staff`,
  `GRANT SELECT (id, tenant_id, dwelling_id, start_date, end_date, monthly_rent) ON lease TO bench_staff`,
  `GRANT SELECT (id, street, house_number, postal_code, city) ON dwelling TO bench_staff`,
  `CREATE POLICY staff_letting ON tenant FOR SELECT TO bench_staff USING (${rlsRows('Tenant', 'staff')} AND NOT restricted)`,
  `CREATE POLICY staff_letting ON lease FOR SELECT TO bench_staff USING (${rlsRows('Lease', 'staff')})`,
  `CREATE POLICY staff_letting ON dwelling FOR SELECT TO bench_staff USING (${rlsRows('Dwelling', 'staff')})`,

  // Contractor: the work orders of its own organisation (not of a restricted tenant); the requester's
  // name and phone and the dwelling's address only through an order that is still open.
  `GRANT SELECT (id, tenant_id, dwelling_id, contractor_id, description, status, created_at, scheduled_for, completed_at)
     ON work_order TO bench_contractor`,
  `GRANT SELECT (id, first_name, last_name, phone) ON tenant TO bench_contractor`,
  `GRANT SELECT (id, street, house_number, postal_code, city) ON dwelling TO bench_contractor`,
  `CREATE POLICY contractor_own ON work_order FOR SELECT TO bench_contractor
     USING (${rlsRows('WorkOrder', 'contractor')}
            AND NOT EXISTS (SELECT 1 FROM bench_rls.restricted_tenant r WHERE r.id = work_order.tenant_id))`,
  `CREATE POLICY contractor_open ON tenant FOR SELECT TO bench_contractor
     USING (NOT restricted AND ${rlsOpenRows('Tenant', 'contractor')})`,
  `CREATE POLICY contractor_open ON dwelling FOR SELECT TO bench_contractor
     USING (${rlsOpenRows('Dwelling', 'contractor')})`,
  // PostGraphile offers ordering only on indexed columns; the running lease is found by these two.
  `COMMENT ON COLUMN lease.end_date IS '@isIndexed'`,
  `COMMENT ON COLUMN lease.start_date IS '@isIndexed'`,
  `ANALYZE`,
];

export const PEER_APPROXIMATIONS = [
  'staff is modelled for the purpose LETTING only (one role, bench_staff); other purposes get a role without grants',
  'a field the caller may not read is absent from the peer schema or denied by PostgreSQL for the whole query; the API answers null plus a FORBIDDEN error per field',
  'contractor: the requester and the dwelling are hidden per tenant/dwelling (visible while ANY open order of the organisation references them), the API closes them per order; a closed order shows tenant/dwelling as null in the peer, id-only with nulls in the API',
  "the tenant's address is reached through leasesByTenantId(first: 1, orderBy: [END_DATE_DESC, START_DATE_DESC]) (running lease first), the API computes it in the tenant's own SELECT",
  'no audit trail: the peer writes no audit event per response',
];

/** The peer's equivalents of the client operations, in PostGraphile's generated schema. */
export const PEER_OPERATIONS = {
  TenantList: `query TenantList($first: Int) {
    allTenants(first: $first, orderBy: [LAST_NAME_ASC, FIRST_NAME_ASC, PRIMARY_KEY_ASC]) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          rowId firstName lastName email phone status
          leasesByTenantId(first: 1, orderBy: [END_DATE_DESC, START_DATE_DESC]) {
            nodes { dwellingByDwellingId { street houseNumber postalCode city } }
          }
        }
      }
    }
  }`,
  MyWorkOrders: `query MyWorkOrders($first: Int) {
    allWorkOrders(first: $first, orderBy: [CREATED_AT_DESC, PRIMARY_KEY_DESC]) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          rowId description status scheduledFor completedAt
          dwellingByDwellingId { rowId street houseNumber postalCode city }
          tenantByTenantId { rowId firstName lastName phone }
        }
      }
    }
  }`,
} as const;

export async function installPeerRules(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of PEER_SETUP_SQL) await client.query(sql);
    // A DATABASE_URL user that is not a superuser must be a member of the roles to switch to them.
    await client.query('GRANT bench_anonymous, bench_staff, bench_contractor TO CURRENT_USER').catch(() => undefined);
  } finally {
    await client.end();
  }
}

export interface PeerProcess {
  url: string;
  /** Statements the peer has sent to PostgreSQL so far, and the CPU time (ms) its process has used. */
  stats(): Promise<{ statements: number; cpuMs: number }>;
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

export async function startPeer(url: string, jwt: JwtSettings, poolSize: number): Promise<PeerProcess> {
  // PostGraphile is installed apart, in bench/ (it needs Node >= 22; the API's own install supports 20).
  if (!existsSync(resolve(PEER_SCRIPT, '../node_modules/postgraphile'))) {
    throw new Error('The peer is not installed: npm --prefix bench install (npm run bench does it), or run with --no-peer');
  }
  const child = spawn(process.execPath, [PEER_SCRIPT], {
    env: {
      ...process.env,
      PEER_DATABASE_URL: url,
      PEER_POOL_SIZE: String(poolSize),
      JWT_SECRET: jwt.secret,
      JWT_ALLOW_SHARED_SECRET: 'true',
      JWT_ISSUER: jwt.issuer,
      JWT_AUDIENCE: jwt.audience,
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (process.env.PEER_LOG_SQL === '1') child.stderr!.pipe(process.stderr);
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const peerUrl = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the PostGraphile peer did not start in 60 s\n${stderr}`)), 60_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const { url: served } = JSON.parse(line);
        clearTimeout(timer);
        resolveUrl(served);
      } catch {
        // not the ready line
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the PostGraphile peer exited with ${code}\n${stderr}`));
    });
  });
  const statsUrl = peerUrl.replace(/\/graphql$/, '/__bench/stats');
  const stats = async () => (await (await fetch(statsUrl)).json()) as { statements: number; cpuMs: number };
  return {
    url: peerUrl,
    stats,
    cpuMs: async () => (await stats()).cpuMs,
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}
