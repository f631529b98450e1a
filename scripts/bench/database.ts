import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/app/data-source';
import { startEmbeddedDatabase } from '../../src/platform/db/embedded';
import { seedDemoData } from '../../src/app/seed/seed';

/**
 * The benchmark's own database on the server DATABASE_URL names: that URL's database name with
 * `_bench` (`…/test` → `test_bench`), so runs against different DATABASE_URLs on one server do not
 * drop each other's, and the bench never drops the database the URL names itself.
 */
export function benchDatabase(databaseUrl: string): { name: string; url: string } {
  const target = new URL(databaseUrl);
  const named = decodeURIComponent(target.pathname.replace(/^\//, '')) || decodeURIComponent(target.username) || 'postgres';
  const name = `${named}_bench`;
  // An identifier PostgreSQL takes unquoted and keeps whole (63 bytes): CREATE and DROP splice it in.
  if (!/^[a-z_][a-z0-9_]*$/.test(name) || name.length > 63) {
    throw new Error(`DATABASE_URL names a database (${JSON.stringify(named)}) whose bench database ${JSON.stringify(name)} is not a plain lower-case identifier of at most 63 characters`);
  }
  target.pathname = `/${name}`;
  return { name, url: target.toString() };
}

export interface BenchDatabase {
  kind: 'postgresql' | 'embedded';
  url: string;
  /** PostgreSQL's own version string. */
  version: string;
  seeded: Record<string, number>;
  seedSeconds: number;
  close(): Promise<void>;
}

/**
 * With DATABASE_URL: a fresh database `<name>_bench` on that server (dropped first if it exists).
 * Without: the embedded PGlite, in memory. Either way migrated and seeded.
 */
export async function prepareDatabase(databaseUrl: string | undefined, tenantsPerStatus: number, log: (m: string) => void) {
  let url: string;
  let closeServer: () => Promise<void>;
  if (databaseUrl) {
    const bench = benchDatabase(databaseUrl);
    const admin = new Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${bench.name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${bench.name}`);
    } finally {
      await admin.end();
    }
    url = bench.url;
    closeServer = async () => undefined;
    log(`database: ${bench.name} on ${new URL(url).host} (fresh)`);
  } else {
    const embedded = await startEmbeddedDatabase(undefined, 64);
    url = embedded.url;
    closeServer = () => embedded.stop();
    log('database: embedded PGlite, in memory');
  }

  const dataSource = createDataSource({ url, poolSize: 4 });
  let seeded: Record<string, number>;
  let version: string;
  let seedSeconds: number;
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    const started = Date.now();
    seeded = (await seedDemoData(dataSource, { tenantsPerStatus })) as unknown as Record<string, number>;
    seedSeconds = (Date.now() - started) / 1000;
    // Fresh statistics, so that the planner sees 10,000 tenants and not an empty table, and the
    // visibility map set as autovacuum would have it on a database in use (index-only scans).
    await dataSource.query('VACUUM ANALYZE');
    [{ version }] = await dataSource.query('SELECT version()');
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
  log(`seeded ${JSON.stringify(seeded)} in ${seedSeconds.toFixed(1)} s`);

  const database: BenchDatabase = {
    kind: databaseUrl ? 'postgresql' : 'embedded',
    url,
    version,
    seeded,
    seedSeconds,
    close: closeServer,
  };
  return database;
}

/**
 * Drops the benchmark database (PostgreSQL only; the embedded one vanishes with the process) and the
 * peer's roles, which are cluster-wide. A role still used elsewhere stays.
 */
export async function dropDatabase(databaseUrl: string, roles: readonly string[] = []): Promise<void> {
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${benchDatabase(databaseUrl).name} WITH (FORCE)`);
    for (const role of roles) await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
  } finally {
    await admin.end();
  }
}

export interface Subjects {
  /** The contractor organisation with the most work orders. */
  contractorOrgId: string;
  contractorName: string;
  contractorOrders: number;
  /** An ACTIVE tenant with a running lease, work orders, invoices and disclosures: TenantDetail and MyProfile. */
  tenantId: string;
}

/** Whom the operations run as: chosen by ORDER BY on data that the seed makes the same every run. */
export async function pickSubjects(dataSource: DataSource): Promise<Subjects> {
  const [contractor] = await dataSource.query(`
    SELECT o.id, o.name, count(w.id)::int AS n
    FROM organization o JOIN work_order w ON w.contractor_id = o.id
    WHERE o.kind = 'CONTRACTOR'
    GROUP BY o.id, o.name ORDER BY n DESC, o.name LIMIT 1`);
  const [tenant] = await dataSource.query(`
    SELECT t.id FROM tenant t
    WHERE t.status = 'ACTIVE'
      AND EXISTS (SELECT 1 FROM lease l WHERE l.tenant_id = t.id AND l.end_date IS NULL)
      AND EXISTS (SELECT 1 FROM work_order w WHERE w.tenant_id = t.id)
      AND EXISTS (SELECT 1 FROM invoice i WHERE i.tenant_id = t.id)
      AND EXISTS (SELECT 1 FROM disclosure d WHERE d.tenant_id = t.id)
    ORDER BY t.last_name, t.first_name, t.date_of_birth LIMIT 1`);
  if (!contractor || !tenant) throw new Error('the seeded database has no contractor with work orders or no suitable tenant');
  return { contractorOrgId: contractor.id, contractorName: contractor.name, contractorOrders: contractor.n, tenantId: tenant.id };
}

export function newDataSource(url: string, poolSize: number): DataSource {
  return createDataSource({ url, poolSize });
}
