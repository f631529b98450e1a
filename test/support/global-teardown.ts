import 'reflect-metadata';
import { Client } from 'pg';
import { createDataSource } from '../../src/app/data-source';
import { verifyAuditChains } from '../../src/platform/audit/verify';
import { auditConfig } from '../../src/platform/config';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as any).__MIJANDE_TEST_DB__;
  try {
    await verifyRunChains();
  } finally {
    if (state?.embedded) await state.embedded.stop();
    if (state?.drop) {
      const admin = new Client({ connectionString: state.adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${state.drop} WITH (FORCE)`);
      await admin.end();
    }
  }
}

/**
 * Every chain the run's servers wrote into its database verifies with the run's key: a suite that
 * starts a server with another key (or tampers without restoring) fails the run here, whatever
 * order the suites ran in, instead of failing whichever suite happened to verify after it.
 */
async function verifyRunChains(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const dataSource = createDataSource({ url, poolSize: 1 });
  await dataSource.initialize();
  try {
    // The test servers' key (test/support/app.ts: AUDIT_KEY, else the development key, in test mode).
    const { broken } = await verifyAuditChains(dataSource, { key: auditConfig({ ...process.env, NODE_ENV: 'test' }).key });
    if (broken) throw new Error(`the run's audit chains do not verify with the run's key: ${JSON.stringify(broken)}`);
  } finally {
    await dataSource.destroy();
  }
}
