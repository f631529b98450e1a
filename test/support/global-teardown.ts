import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as any).__MIJANDE_TEST_DB__;
  if (state?.embedded) await state.embedded.stop();
  if (state?.drop) {
    const admin = new Client({ connectionString: state.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${state.drop} WITH (FORCE)`);
    await admin.end();
  }
}
