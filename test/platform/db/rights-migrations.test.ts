/** The rights migrations go down and up again without losing a consent in force or an objection's check. */
import { openScratchDatabase, ScratchDatabase } from '../../support/scratch-db';
import { createTenant } from '../../support/rows';

let db: ScratchDatabase;
beforeAll(async () => {
  db = await openScratchDatabase({ tenantsPerStatus: 3 });
});
afterAll(() => db?.close());

/** Undoes migrations, the latest first, until `name` is undone too (later branches' migrations may follow it). */
async function undoThrough(name: string): Promise<void> {
  for (;;) {
    const [last] = await db.dataSource.query('SELECT name FROM migrations ORDER BY timestamp DESC, id DESC LIMIT 1');
    await db.dataSource.undoLastMigration();
    if (last.name === name) return;
  }
}

test('ConsentRecords down keeps who consents as the boolean, up turns it into records again', async () => {
  const q = (sql: string, p: unknown[] = []) => db.dataSource.query(sql, p);
  const consenting = await createTenant(db.dataSource);
  const withdrawn = await createTenant(db.dataSource);
  await q(`UPDATE consent_record SET withdrawn_at = now() WHERE tenant_id = $1`, [withdrawn.tenantId]);

  await undoThrough('ConsentRecords1764941000000');
  const [a] = await q('SELECT analytics_consent FROM tenant WHERE id = $1', [consenting.tenantId]);
  const [b] = await q('SELECT analytics_consent FROM tenant WHERE id = $1', [withdrawn.tenantId]);
  expect([a.analytics_consent, b.analytics_consent]).toEqual([true, false]);

  await db.dataSource.runMigrations();
  const records = await q('SELECT tenant_id, withdrawn_at, statement_version FROM consent_record WHERE tenant_id = ANY($1)', [[consenting.tenantId, withdrawn.tenantId]]);
  expect(records).toEqual([{ tenant_id: consenting.tenantId, withdrawn_at: null, statement_version: null }]);
});

test('DataSubjectRights down and up; the database refuses an objection to a purpose not resting on legitimate interest', async () => {
  const q = (sql: string, p: unknown[] = []) => db.dataSource.query(sql, p);
  await undoThrough('DataSubjectRights1764940000000');
  const columns = await q(`SELECT column_name FROM information_schema.columns WHERE table_name = 'tenant' AND column_name = 'objected_purposes'`);
  expect(columns).toEqual([]);
  await db.dataSource.runMigrations();
  const x = await createTenant(db.dataSource);
  await expect(q(`UPDATE tenant SET objected_purposes = ARRAY['REPAIRS'] WHERE id = $1`, [x.tenantId])).rejects.toThrow();
  await q(`UPDATE tenant SET objected_purposes = ARRAY['ARREARS'] WHERE id = $1`, [x.tenantId]);
});
