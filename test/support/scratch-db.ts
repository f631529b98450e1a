import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, Logger } from 'typeorm';
import { createDataSource } from '../../src/app/data-source';
import { startEmbeddedProcess } from './embedded-process';
import { seedDemoData, SeedOptions } from '../../src/app/seed/seed';

export interface ScratchDatabase {
  dataSource: DataSource;
  url: string;
  close(): Promise<void>;
}

/**
 * A database of a test's own, for tests that change data wholesale (retention, faults): migrated
 * and seeded, on the same kind of database the run uses (embedded, or the DATABASE_URL server).
 * `logger` sees every statement of the database's DataSource.
 */
export async function openScratchDatabase(seed: SeedOptions | false = {}, options: { logger?: Logger } = {}): Promise<ScratchDatabase> {
  let url: string;
  let dispose: () => Promise<void>;
  if (process.env.DATABASE_URL) {
    const name = `mijande_scratch_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = async (sql: string) => {
      const client = new Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      try { await client.query(sql); } finally { await client.end(); }
    };
    await admin(`CREATE DATABASE ${name}`);
    const target = new URL(process.env.DATABASE_URL);
    target.pathname = `/${name}`;
    url = target.toString();
    dispose = () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } else {
    const embedded = await startEmbeddedProcess();
    url = embedded.url;
    dispose = () => embedded.stop();
  }
  const dataSource = createDataSource({ url, poolSize: 4, logger: options.logger });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  if (seed) await seedDemoData(dataSource, seed);
  return {
    dataSource,
    url,
    async close() {
      await dataSource.destroy();
      await dispose();
    },
  };
}

/** As the database's superuser: the audit trail's append-only trigger disabled around one statement, on one connection. */
export async function asSuperuser(dataSource: DataSource, sql: string, params: unknown[] = []): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only');
    await runner.query(sql, params);
    await runner.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only');
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}
