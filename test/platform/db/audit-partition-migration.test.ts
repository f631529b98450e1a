/**
 * AuditPartitions on a trail that already holds events: every event and tenant index entry moves
 * into its month's partitions (months made from the oldest event on), the chains still verify, and
 * the migration goes down and up again without losing one.
 */
import { auditKeyObject } from '../../../src/platform/audit/audit-hash';
import { verifyAuditChains } from '../../../src/platform/audit/verify';
import { writeKeyedChain } from '../../support/audit-chains';
import { openScratchDatabase, ScratchDatabase } from '../../support/scratch-db';

const KEY = 'a-test-audit-key-of-at-least-32-bytes-long';
const TENANT = '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f';
const MIGRATION = 'AuditPartitions1764990000000';

let db: ScratchDatabase;
const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
beforeAll(async () => {
  db = await openScratchDatabase(false);
});
afterAll(() => db?.close());

async function undoThrough(name: string): Promise<void> {
  for (;;) {
    const [last] = await q('SELECT name FROM migrations ORDER BY timestamp DESC, id DESC LIMIT 1');
    await db.dataSource.undoLastMigration();
    if (last.name === name) return;
  }
}

const placement = () => q(`
  SELECT e.id, e.hash, e.tableoid::regclass::text AS events, x.tableoid::regclass::text AS subjects
  FROM audit_event e JOIN audit_event_subject x ON x.event_id = e.id AND x.event_at = e.at ORDER BY e.id`);

test('events written before the migration are partitioned by month with their index entries, and still verify', async () => {
  await undoThrough(MIGRATION);
  expect(await q(`SELECT c.relkind FROM pg_class c WHERE c.relname = 'audit_event'`)).toEqual([{ relkind: 'r' }]);
  await writeKeyedChain(db.dataSource, auditKeyObject(KEY), 'before', ['2025-05-10T08:00:00.000Z', '2025-07-01T00:00:00.000Z', new Date().toISOString()], null, { tenantId: TENANT });
  const written = await q('SELECT id, hash FROM audit_event ORDER BY id');

  await db.dataSource.runMigrations();
  const month = new Date().toISOString().slice(0, 7).replace('-', '_');
  expect(await placement()).toEqual([
    { ...written[0], events: 'audit_event_p2025_05', subjects: 'audit_event_subject_p2025_05' },
    { ...written[1], events: 'audit_event_p2025_07', subjects: 'audit_event_subject_p2025_07' },
    { ...written[2], events: `audit_event_p${month}`, subjects: `audit_event_subject_p${month}` },
  ]);
  // The months between, and the three ahead, are there too.
  expect((await q(`SELECT to_regclass('audit_event_p2025_06') IS NOT NULL AS made`))[0].made).toBe(true);
  expect((await verifyAuditChains(db.dataSource, { key: KEY })).broken).toBeNull();
  // New events keep their ids after the old ones.
  await writeKeyedChain(db.dataSource, auditKeyObject(KEY), 'after', [new Date().toISOString()], written[2].hash, { tenantId: TENANT });
  const [{ id }] = await q(`SELECT id FROM audit_event WHERE chain = 'after'`);
  expect(Number(id)).toBeGreaterThan(Number(written[2].id));

  await undoThrough(MIGRATION);
  expect(await q('SELECT count(*)::int AS n FROM audit_event_subject')).toEqual([{ n: 4 }]);
  await db.dataSource.runMigrations();
  expect(await q('SELECT count(*)::int AS n FROM audit_event')).toEqual([{ n: 4 }]);
  expect((await verifyAuditChains(db.dataSource, { key: KEY })).broken).toBeNull();
});
