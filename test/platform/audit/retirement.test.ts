/**
 * POLICY.md "Retention" and "Audit": the retention job deletes each chain's expired prefix (two years)
 * and records it in `audit_retirement` under a keyed MAC; `audit:verify` accepts a chain that starts
 * right after its retirement and still catches edits, truncations, gaps, forged retirements and
 * checkpoints that disagree with a retirement. On a database of this file's own.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditKeyObject } from '../../../src/platform/audit/audit-hash';
import { checkpointFile, CheckpointSigner, signCheckpoint } from '../../../src/platform/audit/checkpoint';
import { retiredAnchorMac, retirementMac } from '../../../src/platform/audit/retirement';
import { verifyAuditChains } from '../../../src/platform/audit/verify';
import { runRetention } from '../../../src/domains/retention/retention';
import { asSuperuser, openScratchDatabase, ScratchDatabase } from '../../support/scratch-db';
import { writeKeyedChain } from '../../support/audit-chains';

const KEY = 'a-test-audit-key-of-at-least-32-bytes-long';
const key = auditKeyObject(KEY);
const signer = new CheckpointSigner(KEY);
const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
/** Two years and more after the old events: cutoff 2026-12-01. */
const AS_OF = new Date('2028-12-01T00:00:00Z');
const OLD = (day: number) => `2026-0${1 + (day % 9)}-1${day % 10}T10:00:00.000Z`;
const NEW = (day: number) => `2028-06-1${day % 10}T10:00:00.000Z`;

let db: ScratchDatabase;
let dir: string;
const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);

beforeAll(async () => {
  db = await openScratchDatabase(false);
});
afterAll(() => db?.close());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audit-retirement-'));
  await superuser('TRUNCATE audit_event, audit_retirement, audit_retired_anchor CASCADE');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const superuser = (sql: string, params: unknown[] = []) => asSuperuser(db.dataSource, sql, params);

/** A keyed chain of events at the given times, anchored to `prevHash`; returns the hashes by seq. */
const chain = (name: string, times: string[], prevHash: string | null) =>
  writeKeyedChain(db.dataSource, key, name, times, prevHash, { tenantId: TENANT, operation: 'query RetireTest' });

async function checkpoint(name: string, seq: number, hash: string): Promise<void> {
  const line = signCheckpoint(signer, { v: 1, kind: 'head', scheme: 'hmac-sha256', chain: name, seq, hash, at: NEW(0), writtenAt: NEW(0) });
  await writeFile(checkpointFile(dir, name), `${JSON.stringify(line)}\n`, { flag: 'a' });
}

const verify = () => verifyAuditChains(db.dataSource, { key: KEY, checkpointDir: dir });
const retire = (options: { dryRun?: boolean; batchSize?: number } = {}) => runRetention(db.dataSource, { now: AS_OF, auditKey: KEY, ...options });
const seqs = async (name: string) => (await q('SELECT seq FROM audit_event WHERE chain = $1 ORDER BY seq', [name])).map((r: any) => Number(r.seq));

/**
 * `ra`: four old events, a new one, then an old one again (stays: no hole); `rb`: three old events,
 * anchored to ra's second, retired whole; `rc`: new, anchored to rb's head. Heads checkpointed.
 */
async function trail() {
  const ra = await chain('ra', [OLD(1), OLD(2), OLD(3), OLD(4), NEW(5), OLD(6)], null);
  const rb = await chain('rb', [OLD(3), OLD(4), OLD(5)], ra[1]);
  const rc = await chain('rc', [NEW(1), NEW(2)], rb[2]);
  await checkpoint('ra', 6, ra[5]);
  await checkpoint('rb', 3, rb[2]);
  await checkpoint('rc', 2, rc[1]);
  return { ra, rb, rc };
}

test('retention as of two years on retires each chain\'s expired prefix, and the trail still verifies', async () => {
  const { ra, rb } = await trail();
  expect((await verify()).broken).toBeNull();

  const preview = await retire({ dryRun: true });
  expect(preview.deleted.AuditEvent).toBe(7);
  expect(await seqs('ra')).toEqual([1, 2, 3, 4, 5, 6]);

  const summary = await retire({ batchSize: 3 });
  expect(summary.deleted.AuditEvent).toBe(7);
  expect(await seqs('ra')).toEqual([5, 6]);
  expect(await seqs('rb')).toEqual([]);
  expect(await seqs('rc')).toEqual([1, 2]);
  const retirements = await q('SELECT chain, through_seq, last_hash FROM audit_retirement ORDER BY chain');
  expect(retirements.map((r: any) => [r.chain, Number(r.through_seq), r.last_hash])).toEqual([['ra', 4, ra[3]], ['rb', 3, rb[2]]]);
  // rc starts from rb's head, which is gone: its hash is kept, keyed (ra's second was rb's anchor while rb had its start).
  const anchors = await q('SELECT hash, chain, seq, keyed FROM audit_retired_anchor ORDER BY chain');
  expect(anchors.map((a: any) => [a.chain, Number(a.seq), a.hash, a.keyed])).toEqual([['ra', 2, ra[1], true], ['rb', 3, rb[2], true]]);
  // The tenant index entries of the deleted events went with them.
  const [{ n: orphans }] = await q('SELECT count(*)::int AS n FROM audit_event_subject x WHERE NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.id = x.event_id)');
  const [{ n: entries }] = await q('SELECT count(*)::int AS n FROM audit_event_subject');
  expect([orphans, entries]).toEqual([0, 4]);

  expect(await verify()).toMatchObject({ broken: null, events: 4, chains: 2, retiredChains: 2 });
  expect((await retire()).deleted.AuditEvent).toBe(0);
  // Outside the job the append-only trigger still refuses a DELETE.
  await expect(q(`DELETE FROM audit_event WHERE chain = 'ra'`)).rejects.toThrow(/append-only/);
});

test('a checkpoint inside a retired prefix holds when consistent with the retirement', async () => {
  const { ra } = await trail();
  await checkpoint('ra', 2, ra[1]);
  await retire();
  expect((await verify()).broken).toBeNull();
});

describe('after retirement, tampering is still caught', () => {
  beforeEach(async () => {
    await trail();
    await retire();
  });

  test('an edited event', async () => {
    await superuser(`UPDATE audit_event SET fields = '{Tenant.iban}' WHERE chain = 'ra' AND seq = 5`);
    expect((await verify()).broken).toMatchObject({ chain: 'ra', seq: 5, reason: expect.stringMatching(/edited/) });
  });

  test('a truncated tail', async () => {
    await superuser(`DELETE FROM audit_event WHERE chain = 'ra' AND seq = 6`);
    expect((await verify()).broken).toMatchObject({ chain: 'ra', reason: expect.stringMatching(/checkpointed it at seq 6/) });
  });

  test('an event deleted outside retention: a gap the retirement does not cover', async () => {
    await superuser(`DELETE FROM audit_event WHERE chain = 'ra' AND seq = 5`);
    expect((await verify()).broken).toMatchObject({ chain: 'ra', seq: 6, reason: expect.stringMatching(/5\.\.5 of the chain are missing/) });
  });

  test('the retirement row deleted: the chain starts after events that are missing', async () => {
    await superuser(`DELETE FROM audit_retirement WHERE chain = 'ra'`);
    expect((await verify()).broken).toMatchObject({ chain: 'ra', seq: 5, reason: expect.stringMatching(/first events are missing/) });
  });

  test('a forged retirement covering a deletion: its MAC does not hold without the key', async () => {
    const [fifth] = await q(`SELECT hash FROM audit_event WHERE chain = 'ra' AND seq = 5`);
    await superuser(`DELETE FROM audit_event WHERE chain = 'ra' AND seq = 5`);
    const forged = { chain: 'ra', throughSeq: 5, lastHash: fifth.hash, retiredAt: AS_OF.toISOString() };
    const theirs = auditKeyObject('an-attackers-key-of-at-least-32-bytes-long');
    await q('UPDATE audit_retirement SET through_seq = 5, last_hash = $1, mac = $2 WHERE chain = $3', [fifth.hash, retirementMac(theirs, forged), 'ra']);
    expect((await verify()).broken).toMatchObject({ chain: 'ra', reason: expect.stringMatching(/retirement.*forged/) });
    // With the right key the same retirement would pass: the MAC is what the check rests on.
    await q('UPDATE audit_retirement SET mac = $1 WHERE chain = $2', [retirementMac(key, forged), 'ra']);
    expect((await verify()).broken).toBeNull();
  });

  test('an anchor deleted by hand: another chain\'s retirement does not excuse it', async () => {
    await chain('rd', [NEW(3)], 'a'.repeat(64));
    await checkpoint('rd', 1, (await q(`SELECT hash FROM audit_event WHERE chain = 'rd'`))[0].hash);
    expect((await verify()).broken).toMatchObject({ chain: 'rd', seq: 1, reason: expect.stringMatching(/anchored to is missing/) });
  });

  test('the record of a retired anchor deleted, or forged without the key', async () => {
    const [kept] = await q(`SELECT hash, seq FROM audit_retired_anchor WHERE chain = 'rb'`);
    await q(`UPDATE audit_retired_anchor SET mac = $1 WHERE hash = $2`, [
      retiredAnchorMac(auditKeyObject('an-attackers-key-of-at-least-32-bytes-long'), { hash: kept.hash, chain: 'rb', seq: Number(kept.seq), keyed: true }), kept.hash,
    ]);
    expect((await verify()).broken).toMatchObject({ chain: 'rc', seq: 1, reason: expect.stringMatching(/anchored to is missing/) });
    await q(`DELETE FROM audit_retired_anchor WHERE hash = $1`, [kept.hash]);
    expect((await verify()).broken).toMatchObject({ chain: 'rc', seq: 1, reason: expect.stringMatching(/anchored to is missing/) });
  });

  test('a checkpoint at the retired head with another hash', async () => {
    // Signed with the key, as if the chain had been rewritten before it was retired.
    await rm(checkpointFile(dir, 'rb'));
    await checkpoint('rb', 3, 'f'.repeat(64));
    expect((await verify()).broken).toMatchObject({ chain: 'rb', seq: 3, reason: expect.stringMatching(/differs from its checkpoint/) });
  });

  test('a checkpoint beyond the retirement of a chain whose events are all gone', async () => {
    await checkpoint('rb', 5, 'e'.repeat(64));
    expect((await verify()).broken).toMatchObject({ chain: 'rb', seq: 5, reason: expect.stringMatching(/dropped/) });
  });
});

test('the job does not retire a stretch that was tampered with', async () => {
  await trail();
  await superuser(`UPDATE audit_event SET actor_sub = 'someone-else' WHERE chain = 'ra' AND seq = 2`);
  await expect(retire()).rejects.toThrow(/chain ra is broken at seq 2/);
  expect(await seqs('ra')).toEqual([1, 2, 3, 4, 5, 6]);
});
