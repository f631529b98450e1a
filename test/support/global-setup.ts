import 'reflect-metadata';
import { Client } from 'pg';
import { createDataSource } from '../../src/app/data-source';
import { startEmbeddedDatabase } from '../../src/platform/db/embedded';
import { seedDemoData } from '../../src/app/seed/seed';

/**
 * One seeded database for the whole run: the embedded one in memory by default, or a fresh
 * database created on the PostgreSQL server named by DATABASE_URL (and dropped afterwards).
 */
export default async function globalSetup(): Promise<void> {
  let url: string;
  if (process.env.DATABASE_URL) {
    const name = `mijande_test_${process.pid}_${Date.now()}`;
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const target = new URL(process.env.DATABASE_URL);
    target.pathname = `/${name}`;
    url = target.toString();
    (globalThis as any).__MIJANDE_TEST_DB__ = { drop: name, adminUrl: process.env.DATABASE_URL };
  } else {
    const embedded = await startEmbeddedDatabase(undefined, 50);
    url = embedded.url;
    (globalThis as any).__MIJANDE_TEST_DB__ = { embedded };
  }
  const dataSource = createDataSource({ url, poolSize: 2 });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await seedDemoData(dataSource);
  await dataSource.destroy();
  process.env.TEST_DATABASE_URL = url;
}
