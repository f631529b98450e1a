import { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { startEmbeddedDatabase } from '../platform/db/embedded';
import { AUDIT_CONNECTIONS } from '../platform/audit/audit-writer';
import { seedDemoData } from './seed/seed';
import { analyzeGrownAuditPartitions, ensureAuditPartitions } from '../platform/audit/partitions';

/** How often a running server makes sure the audit trail's coming months have their partitions. */
const PARTITION_CHECK_MS = 6 * 60 * 60 * 1000;
/** How often the audit partitions' growth is checked against their statistics. */
const STATISTICS_CHECK_MS = 60 * 1000;

export interface DatabaseOptions {
  /** A PostgreSQL server; without one the embedded database in `dataDir` is used. */
  databaseUrl?: string;
  dataDir?: string;
  seed: boolean;
  log?: (message: string) => void;
}

export interface Database {
  dataSource: DataSource;
  url: string;
  close(): Promise<void>;
}

/**
 * The connections the server opens, sized together: the embedded server admits exactly these (and
 * refuses a connection past its limit), so the read pool filling up under load can never take the
 * audit trail's connection. `spare`: a maintenance connection (psql, a migration check) next to a running server.
 */
export const CONNECTIONS = { read: 10, audit: AUDIT_CONNECTIONS, spare: 1 };

/** The embedded server's connection limit: every pool of this process, plus the spare. */
export function embeddedConnectionLimit(connections = CONNECTIONS): number {
  return connections.read + connections.audit + connections.spare;
}

/** Opens the database, applies pending migrations and seeds an empty one with demo data. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const log = options.log ?? (() => undefined);
  const embedded = options.databaseUrl ? undefined : await startEmbeddedDatabase(options.dataDir, embeddedConnectionLimit());
  const url = options.databaseUrl ?? embedded!.url;
  const dataSource = createDataSource({ url, poolSize: CONNECTIONS.read });
  try {
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length) log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
    await keepAuditPartitionsAhead(dataSource, log);
    if (options.seed && (await isEmpty(dataSource))) {
      const counts = await seedDemoData(dataSource);
      log(`seeded demo data: ${JSON.stringify(counts)}`);
    }
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  const stopMaintenance = startDatabaseMaintenance(dataSource, log);
  return {
    dataSource,
    url,
    async close() {
      stopMaintenance();
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

/**
 * What a running server keeps up in its database, on timers that do not hold the process open: the
 * audit trail's partitions of the coming months, made before they begin, and the statistics of the
 * partitions that grow (the current month's starts empty). Returns the function that stops it.
 */
export function startDatabaseMaintenance(dataSource: DataSource, log: (message: string) => void): () => void {
  const partitionCheck = setInterval(() => {
    keepAuditPartitionsAhead(dataSource, log).catch((error: Error) => log(`audit partitions not checked: ${error.name}: ${error.message}`));
  }, PARTITION_CHECK_MS);
  const statisticsCheck = setInterval(() => {
    analyzeGrownAuditPartitions(dataSource)
      .then((analyzed) => analyzed.length && log(`audit partitions analyzed: ${analyzed.join(', ')}`))
      .catch((error: Error) => log(`audit partitions not analyzed: ${error.name}: ${error.message}`));
  }, STATISTICS_CHECK_MS);
  partitionCheck.unref();
  statisticsCheck.unref();
  return () => {
    clearInterval(partitionCheck);
    clearInterval(statisticsCheck);
  };
}

async function keepAuditPartitionsAhead(dataSource: DataSource, log: (message: string) => void): Promise<void> {
  const created = await ensureAuditPartitions(dataSource, new Date());
  if (created.length) log(`audit partitions created for ${created.join(', ')}`);
}

async function isEmpty(dataSource: DataSource): Promise<boolean> {
  const [{ n }] = await dataSource.query('SELECT count(*)::int AS n FROM tenant');
  return n === 0;
}
