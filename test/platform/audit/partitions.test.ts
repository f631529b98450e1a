/**
 * The audit trail partitioned by month (issue "A million people", item 5): each event and its tenant
 * index entries land in their month's partitions; the retention job drops a whole expired month's
 * partitions, recording the chains' retirements as the row-wise retirement does, and the trail still
 * verifies; a month that is not a clean prefix of its chains, or was tampered with, is not dropped.
 * On a database of this file's own, on both kinds of database.
 */
import { auditKeyObject } from '../../../src/platform/audit/audit-hash';
import { analyzeGrownAuditPartitions, ensureAuditPartitions, MONTHS_AHEAD } from '../../../src/platform/audit/partitions';
import { verifyAuditChains } from '../../../src/platform/audit/verify';
import { runRetention } from '../../../src/domains/retention/retention';
import { asSuperuser, openScratchDatabase, ScratchDatabase } from '../../support/scratch-db';
import { writeKeyedChain } from '../../support/audit-chains';

const KEY = 'a-test-audit-key-of-at-least-32-bytes-long';
const key = auditKeyObject(KEY);
const TENANT = '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e';
/** The audit period is two years: as of this date, January and February 2026 have expired, March not. */
const AS_OF = new Date('2028-03-01T00:00:00Z');
const JAN = (day: number) => `2026-01-${String(day).padStart(2, '0')}T10:00:00.000Z`;
const FEB = (day: number) => `2026-02-${String(day).padStart(2, '0')}T10:00:00.000Z`;
const MAR = (day: number) => `2026-03-${String(day).padStart(2, '0')}T10:00:00.000Z`;

let db: ScratchDatabase;
const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
const exists = async (name: string) => (await q('SELECT to_regclass($1) IS NOT NULL AS found', [name]))[0].found as boolean;
const seqs = async (name: string) => (await q('SELECT seq FROM audit_event WHERE chain = $1 ORDER BY seq', [name])).map((r: any) => Number(r.seq));
const retire = () => runRetention(db.dataSource, { now: AS_OF, auditKey: KEY, batchSize: 2 });
const verify = () => verifyAuditChains(db.dataSource, { key: KEY });

beforeAll(async () => {
  db = await openScratchDatabase(false);
});
afterAll(() => db?.close());
beforeEach(async () => {
  await asSuperuser(db.dataSource, 'TRUNCATE audit_event, audit_event_subject, audit_retirement, audit_retired_anchor');
  // The months of these events, made as the server makes the coming ones.
  await ensureAuditPartitions(db.dataSource, new Date(MAR(15)), new Date(JAN(1)));
});

/** A keyed chain of events at the given times, anchored to `prevHash`; returns the hashes by seq. */
const chain = (name: string, times: string[], prevHash: string | null, firstSeq = 1) =>
  writeKeyedChain(db.dataSource, key, name, times, prevHash, { tenantId: TENANT, operation: 'query PartitionTest', firstSeq });

test('events and their tenant index entries land in their month\'s partitions; the coming months are made ahead', async () => {
  const keys = await q(`SELECT pg_get_partkeydef('audit_event'::regclass) AS events, pg_get_partkeydef('audit_event_subject'::regclass) AS subjects`);
  expect(keys).toEqual([{ events: 'RANGE (at)', subjects: 'RANGE (event_at)' }]);
  await chain('pl', [JAN(31), FEB(1)], null);
  const placed = await q(`
    SELECT e.seq, e.tableoid::regclass::text AS events, x.tableoid::regclass::text AS subjects
    FROM audit_event e JOIN audit_event_subject x ON x.event_id = e.id AND x.event_at = e.at WHERE e.chain = 'pl' ORDER BY e.seq`);
  expect(placed).toEqual([
    { seq: '1', events: 'audit_event_p2026_01', subjects: 'audit_event_subject_p2026_01' },
    { seq: '2', events: 'audit_event_p2026_02', subjects: 'audit_event_subject_p2026_02' },
  ]);
  // Made once: a second call creates nothing.
  const now = new Date('2031-05-20T12:00:00Z');
  const created = await ensureAuditPartitions(db.dataSource, now);
  expect(created).toEqual(['2031-05', '2031-06', '2031-07', '2031-08'].slice(0, MONTHS_AHEAD + 1));
  expect(await ensureAuditPartitions(db.dataSource, now)).toEqual([]);
  expect(await exists('audit_event_subject_p2031_08')).toBe(true);
  // Processes starting together (workers, instances) make each month once, and none of them fails.
  const together = await Promise.all([0, 1, 2].map(() => ensureAuditPartitions(db.dataSource, new Date('2032-02-10T00:00:00Z'))));
  expect(together.flat().sort()).toEqual(['2032-02', '2032-03', '2032-04', '2032-05']);
});

test('retention drops each wholly expired month\'s partitions, records the retirements, and the trail verifies', async () => {
  const pa = await chain('pa', [JAN(3), JAN(4), JAN(5), FEB(2), FEB(3), MAR(1)], null);
  const pb = await chain('pb', [FEB(4), FEB(5)], pa[1]);
  const pc = await chain('pc', [MAR(2)], pb[1]);
  expect((await verify()).broken).toBeNull();

  const summary = await retire();
  expect(summary.deleted.AuditEvent).toBe(7);
  for (const name of ['audit_event_p2026_01', 'audit_event_subject_p2026_01', 'audit_event_p2026_02', 'audit_event_subject_p2026_02']) {
    expect(await exists(name)).toBe(false);
  }
  expect(await exists('audit_event_p2026_03')).toBe(true);
  expect(await seqs('pa')).toEqual([6]);
  expect(await seqs('pb')).toEqual([]);
  expect(await seqs('pc')).toEqual([1]);
  const retirements = await q('SELECT chain, through_seq, last_hash FROM audit_retirement ORDER BY chain');
  expect(retirements.map((r: any) => [r.chain, Number(r.through_seq), r.last_hash])).toEqual([['pa', 5, pa[4]], ['pb', 2, pb[1]]]);
  // pb started from pa's second event and pc from pb's head: both hashes are kept, keyed.
  const anchors = await q('SELECT chain, seq, hash FROM audit_retired_anchor ORDER BY chain');
  expect(anchors.map((a: any) => [a.chain, Number(a.seq), a.hash])).toEqual([['pa', 2, pa[1]], ['pb', 2, pb[1]]]);
  const [{ n: entries }] = await q('SELECT count(*)::int AS n FROM audit_event_subject');
  expect(entries).toBe(2);
  expect(await verify()).toMatchObject({ broken: null, events: 2, chains: 2, retiredChains: 2 });
  expect(pc).toHaveLength(1);
  // Idempotent: nothing is left to retire.
  expect((await retire()).deleted.AuditEvent).toBe(0);
});

test('a month that is not the next run of every chain in it is retired row by row, its partition kept', async () => {
  // The writer's clock went back: seq 2 was stored in January, after seq 1 in February.
  const first = await chain('skew', [FEB(10)], null);
  await chain('skew', [JAN(20), MAR(5)], first[0], 2);
  const summary = await retire();
  expect(summary.deleted.AuditEvent).toBe(2);
  expect(await seqs('skew')).toEqual([3]);
  expect(await exists('audit_event_p2026_01')).toBe(true);
  // The retired events' tenant index entries go with them; the kept event's stay (verify checks those).
  const [{ n: orphans }] = await q('SELECT count(*)::int AS n FROM audit_event_subject x WHERE NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.id = x.event_id)');
  expect(orphans).toBe(0);
  const [{ n: entries }] = await q('SELECT count(*)::int AS n FROM audit_event_subject');
  expect(entries).toBeGreaterThan(0);
  expect((await verify()).broken).toBeNull();
});

test('a month with a tampered event is not dropped', async () => {
  await chain('pt', [JAN(6), JAN(7), MAR(3)], null);
  await asSuperuser(db.dataSource, `UPDATE audit_event SET actor_sub = 'someone-else' WHERE chain = 'pt' AND seq = 2`);
  await expect(retire()).rejects.toThrow(/chain pt is broken at seq 2/);
  expect(await exists('audit_event_p2026_01')).toBe(true);
  expect(await seqs('pt')).toEqual([1, 2, 3]);
});

test('a month partition that has grown past its statistics is analyzed again, once, and a small one is left alone', async () => {
  const stats = async (name: string) => (await q(`SELECT relpages, reltuples FROM pg_class WHERE relname = $1`, [name]))[0];
  // Analyzed empty, as the month's first minute leaves it.
  await asSuperuser(db.dataSource, 'ANALYZE audit_event_p2026_03');
  await asSuperuser(db.dataSource, 'ANALYZE audit_event_subject_p2026_03');
  await chain('small', [MAR(2)], null);
  expect(await analyzeGrownAuditPartitions(db.dataSource)).toEqual([]);
  // A few thousand events, each naming three tenants: past the threshold for both partitions.
  await asSuperuser(db.dataSource, `INSERT INTO audit_event (chain, seq, at, actor_sub, role, operation, tenant_ids, fields, prev_hash, hash)
    SELECT 'grown', i, timestamptz '2026-03-10' + i * interval '1 second', 'employee-1', 'staff', 'query TenantList',
      ARRAY[gen_random_uuid(), gen_random_uuid(), gen_random_uuid()], ARRAY['Tenant.lastName'], NULL, md5(i::text)
    FROM generate_series(1, 6000) AS i`);
  expect(Number((await stats('audit_event_subject_p2026_03')).reltuples)).toBeLessThan(10);
  expect(await analyzeGrownAuditPartitions(db.dataSource)).toEqual(['audit_event_p2026_03', 'audit_event_subject_p2026_03']);
  expect(Number((await stats('audit_event_subject_p2026_03')).reltuples)).toBeGreaterThan(15_000);
  expect(await analyzeGrownAuditPartitions(db.dataSource)).toEqual([]);
});
