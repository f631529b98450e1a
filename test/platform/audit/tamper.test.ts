/**
 * POLICY.md "Audit": a database superuser who edits, deletes or rehashes events, cuts a chain short
 * or drops one is caught: the chains are keyed with AUDIT_KEY, which the database never holds, and
 * their heads are checkpointed, signed, outside it. Each attack is done as a superuser would, with
 * the append-only trigger off, on a database of this file's own.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { auditKeyObject, ChainedEvent, hashEvent } from '../../../src/platform/audit/audit-hash';
import { ChainedAuditWriter } from '../../../src/platform/audit/audit-writer';
import { checkpointFile, CheckpointSigner } from '../../../src/platform/audit/checkpoint';
import { verifyAuditChains } from '../../../src/platform/audit/verify';
import { createLogger } from '../../../src/platform/logging/logger';
import { asSuperuser, openScratchDatabase, ScratchDatabase } from '../../support/scratch-db';

const KEY = 'a-test-audit-key-of-at-least-32-bytes-long';
const TENANT_A = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const TENANT_B = 'b2c0f5c4-3a1e-4c55-9a53-8f6f1d2e3a4b';

let db: ScratchDatabase;
let dir: string;

beforeAll(async () => {
  db = await openScratchDatabase(false);
});
afterAll(() => db?.close());

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audit-checkpoints-'));
  await superuser('TRUNCATE audit_event CASCADE');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const superuser = (sql: string, params: unknown[] = []) => asSuperuser(db.dataSource, sql, params);

const record = (n: number, tenantId = n % 2 ? TENANT_B : TENANT_A) => ({
  actorSub: `tamper-${n}`, role: 'staff', orgId: null, purpose: 'PRIVACY', operation: 'query TamperTest', tenantIds: [tenantId], fields: ['Tenant.email'],
});

/** A writer as the server makes one; its chain is written and closed (final checkpoint) before the test tampers. */
async function writeChain(chain: string, events: number, options: { everyEvents?: number } = {}): Promise<ChainedAuditWriter> {
  const writer = new ChainedAuditWriter(db.dataSource, { chain, key: KEY, checkpoints: { dir, everyMs: 60_000, ...options } });
  for (let i = 0; i < events; i++) await writer.append(record(i));
  await writer.close();
  return writer;
}

const verify = (withCheckpoints = true) => verifyAuditChains(db.dataSource, { key: KEY, checkpointDir: withCheckpoints ? dir : undefined });

const rows = (chain: string) => db.dataSource.query('SELECT * FROM audit_event WHERE chain = $1 ORDER BY seq', [chain]);

function eventOf(r: any): ChainedEvent {
  return {
    chain: r.chain, seq: Number(r.seq), at: new Date(r.at).toISOString(), actorSub: r.actor_sub, role: r.role, orgId: r.org_id,
    purpose: r.purpose, operation: r.operation, tenantIds: r.tenant_ids, fields: r.fields, prevHash: r.prev_hash,
  };
}

/**
 * The attacker's rehash: the chain's events renumbered without gaps from `from` on, each linked to
 * the one before and hashed as `hashWith` does (the unkeyed SHA-256, or a key of the attacker's).
 */
async function rehash(chain: string, hashWith: (e: ChainedEvent) => string, from = 1): Promise<void> {
  const events = await rows(chain);
  let prevHash: string | null = from > 1 ? events[from - 2].hash : events[0].prev_hash;
  for (let i = from - 1; i < events.length; i++) {
    const e = { ...eventOf(events[i]), seq: i + 1, prevHash };
    const hash = hashWith(e);
    await superuser('UPDATE audit_event SET seq = $2, prev_hash = $3, hash = $4 WHERE id = $1', [events[i].id, e.seq, prevHash, hash]);
    prevHash = hash;
  }
}
const unkeyed = (e: ChainedEvent) => hashEvent(e);

test('the keyed hash is an HMAC-SHA256 of the same canonical form as the unkeyed one', () => {
  const event = {
    chain: 'host-1-abcd', seq: 42, at: '2026-11-24T10:00:00.000Z', actorSub: 'emp-7', role: 'staff', orgId: null,
    purpose: 'LETTING', operation: 'query TenantList',
    tenantIds: ['b2c0f5c4-3a1e-4c55-9a53-8f6f1d2e3a4b', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'],
    fields: ['Tenant.phone', 'Tenant.email'], prevHash: 'f'.repeat(64),
  };
  const key = auditKeyObject(KEY);
  // `openssl dgst -sha256 -hmac <KEY>` of the canonical form whose SHA-256 audit.test.ts pins (002b1662…).
  expect(hashEvent(event, key)).toBe('608d1bd06a14f79952ac03d143b0fd4087e143f6910100942406984d5329f98e');
  expect(hashEvent(event, key)).not.toBe(hashEvent(event));
  expect(hashEvent(event, auditKeyObject(`${KEY}!`))).not.toBe(hashEvent(event, key));
});

test('a clean trail verifies intact against its checkpoints, which are in the files and the log', async () => {
  const lines: any[] = [];
  const log = createLogger({ level: 'info', stream: new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done(); } }) });
  const first = new ChainedAuditWriter(db.dataSource, { chain: 'clean-a', key: KEY, checkpoints: { dir, everyMs: 60_000, log } });
  for (let i = 0; i < 5; i++) await first.append(record(i));
  await first.close();
  await writeChain('clean-b', 3);

  const result = await verify();
  expect(result).toMatchObject({ broken: null, events: 8, chains: 2, legacyChains: 0, checkpointedChains: 2, checkpointFiles: 2 });
  const file = (await readFile(checkpointFile(dir, 'clean-a'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  expect(file.map((c) => c.kind)).toEqual(['chains', 'head']);
  const [head] = await db.dataSource.query(`SELECT seq, hash FROM audit_event WHERE chain = 'clean-a' ORDER BY seq DESC LIMIT 1`);
  expect(file[1]).toMatchObject({ chain: 'clean-a', seq: 5, hash: head.hash, scheme: 'hmac-sha256', keyId: new CheckpointSigner(KEY).keyId });
  expect(lines.filter((l) => l.msg === 'audit checkpoint').map((l) => l.auditCheckpoint)).toEqual(file);
  // The second writer's listing at its start holds the first chain's head.
  const second = (await readFile(checkpointFile(dir, 'clean-b'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  expect(second[0]).toMatchObject({ kind: 'chains', heads: [{ chain: 'clean-a', seq: 5, hash: head.hash }] });
});

describe('(a) an edited event whose hashes were recomputed', () => {
  test('recomputed without the key from the edited event on: the HMAC breaks there', async () => {
    await writeChain('edit-a', 5);
    const [, second] = await rows('edit-a');
    await superuser('UPDATE audit_event SET fields = $2 WHERE id = $1', [second.id, ['Tenant.firstName']]);
    await rehash('edit-a', unkeyed, 2);
    for (const withCheckpoints of [false, true]) {
      const { broken } = await verify(withCheckpoints);
      expect(broken).toMatchObject({ id: String(second.id), chain: 'edit-a', seq: 2 });
      expect(broken!.reason).toMatch(/recomputed without the key/);
    }
  });

  test('recomputed with a key of the attacker: the hash matches neither', async () => {
    await writeChain('edit-b', 4);
    const [first] = await rows('edit-b');
    await superuser('UPDATE audit_event SET purpose = $2 WHERE id = $1', [first.id, 'LETTING']);
    const theirs = auditKeyObject('an-attackers-key-of-at-least-32-bytes-long');
    await rehash('edit-b', (e) => hashEvent(e, theirs));
    const { broken } = await verify(false);
    expect(broken).toMatchObject({ id: String(first.id), chain: 'edit-b', seq: 1 });
    expect(broken!.reason).toMatch(/edited/);
  });

  test('the whole chain recomputed without the key: the checkpoint catches it, and the chain anchored to it breaks', async () => {
    await writeChain('edit-c', 4);
    await writeChain('edit-d', 4);
    const [, second] = await rows('edit-c');
    await superuser('UPDATE audit_event SET tenant_ids = $2 WHERE id = $1', [second.id, [TENANT_B]]);
    await rehash('edit-c', unkeyed);
    const { broken } = await verify();
    expect(broken).toMatchObject({ chain: 'edit-c', seq: 4 });
    expect(broken!.reason).toMatch(/differs from its checkpoint/);
    // edit-d is anchored to edit-c's head, which changed: caught by the table alone.
    expect((await verify(false)).broken).toMatchObject({ chain: 'edit-d', seq: 1, reason: expect.stringMatching(/anchored to is missing/) });
  });

  test('a later chain recomputed without the key cannot pass as legacy: it is anchored to a keyed event', async () => {
    await writeChain('anchor-a', 3);
    await writeChain('anchor-b', 3);
    const [first] = await rows('anchor-b');
    await superuser('UPDATE audit_event SET actor_sub = $2 WHERE id = $1', [first.id, 'someone-else']);
    await rehash('anchor-b', unkeyed);
    const { broken } = await verify(false);
    expect(broken).toMatchObject({ id: String(first.id), chain: 'anchor-b', seq: 1 });
    expect(broken!.reason).toMatch(/anchored to a keyed event/);
    expect((await verify()).broken).toMatchObject({ chain: 'anchor-b' });
  });
});

test('(b) a chain cut short (its newest events deleted) is caught by its checkpoint', async () => {
  await writeChain('cut', 6);
  await superuser(`DELETE FROM audit_event WHERE chain = 'cut' AND seq > 4`);
  // The table alone cannot tell: the remaining links are sound.
  expect((await verify(false)).broken).toBeNull();
  const [fourth] = (await rows('cut')).slice(-1);
  const { broken } = await verify();
  expect(broken).toMatchObject({ id: String(fourth.id), chain: 'cut', seq: 4 });
  expect(broken!.reason).toMatch(/ends at seq 4.*checkpointed it at seq 6.*deleted/);
});

test('an event inserted with a seq the chain already holds is caught: the trail is partitioned, so (chain, seq) is no unique key', async () => {
  await writeChain('twice', 3);
  const [, second] = await rows('twice');
  await superuser(
    `INSERT INTO audit_event (chain, seq, at, actor_sub, role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash)
     SELECT chain, seq, at, 'someone-else', role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash FROM audit_event WHERE id = $1`, [second.id]);
  const { broken } = await verify(false);
  expect(broken).toMatchObject({ chain: 'twice', seq: 2 });
  expect(broken!.reason).toMatch(/seq 2 occurs twice/);
});

describe("(c) one tenant's events deleted and the chain rehashed", () => {
  test('rehashed without the key: the HMAC breaks at the first renumbered event', async () => {
    await writeChain('tenant-a', 6);
    await superuser(`DELETE FROM audit_event WHERE chain = 'tenant-a' AND $1 = ANY(tenant_ids)`, [TENANT_B]);
    const left = await rows('tenant-a');
    expect(left).toHaveLength(3);
    await rehash('tenant-a', unkeyed, 2);
    const { broken } = await verify(false);
    expect(broken).toMatchObject({ id: String(left[1].id), chain: 'tenant-a', seq: 2 });
    expect(broken!.reason).toMatch(/without the key/);
  });

  test('the whole chain rehashed without the key: the checkpoint catches it', async () => {
    await writeChain('tenant-b', 6);
    await superuser(`DELETE FROM audit_event WHERE chain = 'tenant-b' AND $1 = ANY(tenant_ids)`, [TENANT_B]);
    await rehash('tenant-b', unkeyed);
    const { broken } = await verify();
    expect(broken).toMatchObject({ chain: 'tenant-b', seq: 3 });
    expect(broken!.reason).toMatch(/ends at seq 3.*checkpointed it at seq 6/);
  });
});

describe('(d) a whole chain dropped', () => {
  test('the newest chain: its checkpoint names a chain the table lacks', async () => {
    await writeChain('kept', 3);
    await writeChain('dropped', 3);
    await superuser(`DELETE FROM audit_event WHERE chain = 'dropped'`);
    expect((await verify(false)).broken).toBeNull();
    const { broken } = await verify();
    expect(broken).toMatchObject({ id: null, chain: 'dropped', seq: 3 });
    expect(broken!.reason).toMatch(/none of its events: it was dropped/);
  });

  test("one whose own checkpoints are lost too: another writer's listing of the chains names it", async () => {
    // Legacy-like chains written before checkpoints: L2 starts anchored to L1's third event, L1 goes on to 5.
    const key = auditKeyObject(KEY);
    const insert = async (chain: string, seq: number, prevHash: string | null) => {
      const e: ChainedEvent = { ...record(seq), chain, seq, at: new Date(Date.now() + seq).toISOString(), prevHash };
      const hash = hashEvent(e, key);
      await db.dataSource.query(
        `INSERT INTO audit_event (chain, seq, at, actor_sub, role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
        [chain, seq, e.at, e.actorSub, e.role, e.orgId, e.purpose, e.operation, e.tenantIds, e.fields, prevHash, hash],
      );
      return hash;
    };
    let h1: string | null = null;
    for (let s = 1; s <= 3; s++) h1 = await insert('l1', s, h1);
    let h2: string | null = h1;
    for (let s = 1; s <= 2; s++) h2 = await insert('l2', s, h2);
    for (let s = 4; s <= 5; s++) h1 = await insert('l1', s, h1);
    await writeChain('later', 2);
    await superuser(`DELETE FROM audit_event WHERE chain = 'l1' AND seq > 3`);
    const { broken } = await verify();
    expect(broken).toMatchObject({ chain: 'l1', seq: 3 });
    expect(broken!.reason).toMatch(/checkpointed it at seq 5/);
  });
});

test('a checkpoint altered, or signed with another key, is refused', async () => {
  await writeChain('signed', 3);
  const path = checkpointFile(dir, 'signed');
  const original = await readFile(path, 'utf8');
  const lines = original.trim().split('\n').map((l) => JSON.parse(l));
  lines[1].seq = 2;
  await writeFile(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  expect((await verify()).broken).toMatchObject({ id: null, reason: expect.stringMatching(/signature is invalid/) });
  await writeFile(path, original);
  expect((await verify()).broken).toBeNull();
  const other = await verifyAuditChains(db.dataSource, { key: `${KEY}-rotated`, checkpointDir: dir });
  expect(other.broken).not.toBeNull();
});

test('chains written before AUDIT_KEY (unkeyed) verify as legacy; a keyed chain after them is keyed', async () => {
  let prevHash: string | null = null;
  for (let seq = 1; seq <= 3; seq++) {
    const e: ChainedEvent = { ...record(seq), chain: 'legacy', seq, at: new Date(Date.now() - 60_000 + seq).toISOString(), prevHash };
    const hash = hashEvent(e);
    await db.dataSource.query(
      `INSERT INTO audit_event (chain, seq, at, actor_sub, role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
      ['legacy', seq, e.at, e.actorSub, e.role, e.orgId, e.purpose, e.operation, e.tenantIds, e.fields, prevHash, hash],
    );
    prevHash = hash;
  }
  await writeChain('keyed', 2);
  const result = await verify();
  expect(result).toMatchObject({ broken: null, events: 5, chains: 2, legacyChains: 1, legacyEvents: 3, checkpointedChains: 2 });
  // Cutting it short is caught: the keyed chain is anchored to its head (which the keyed writer's listing holds too).
  await superuser(`DELETE FROM audit_event WHERE chain = 'legacy' AND seq = 3`);
  expect((await verify()).broken).toMatchObject({ chain: 'keyed', seq: 1 });
});

describe('when checkpoints are written', () => {
  test('every N events, off the request path, and a final one at close', async () => {
    const writer = new ChainedAuditWriter(db.dataSource, { chain: 'every', key: KEY, checkpoints: { dir, everyEvents: 5, everyMs: 60_000 } });
    for (let i = 0; i < 12; i++) await writer.append(record(i));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const heads = async () => (await readFile(checkpointFile(dir, 'every'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l)).filter((c) => c.kind === 'head');
    expect((await heads()).map((c) => c.seq)).toEqual([5, 10]);
    await writer.close();
    expect((await heads()).map((c) => c.seq)).toEqual([5, 10, 12]);
    expect(writer.checkpointer!.written).toBe(4);
  });

  test('every T seconds once the head moved', async () => {
    const writer = new ChainedAuditWriter(db.dataSource, { chain: 'timed', key: KEY, checkpoints: { dir, everyMs: 50 } });
    try {
      await writer.append(record(0));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const lines = (await readFile(checkpointFile(dir, 'timed'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.filter((c) => c.kind === 'head').map((c) => c.seq)).toEqual([1]);
    } finally {
      await writer.close();
    }
  });

  test('a checkpoint that cannot be written is logged; appends still resolve', async () => {
    const lines: any[] = [];
    const log = createLogger({ level: 'info', stream: new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done(); } }) });
    const notADir = join(dir, 'file');
    await writeFile(notADir, '');
    const writer = new ChainedAuditWriter(db.dataSource, { chain: 'unwritable', key: KEY, checkpoints: { dir: notADir, everyEvents: 1, log } });
    for (let i = 0; i < 3; i++) await writer.append(record(i));
    await writer.close();
    expect((await rows('unwritable'))).toHaveLength(3);
    expect(lines.some((l) => l.msg === 'audit checkpoint not written')).toBe(true);
    expect(await readdir(dir)).toEqual(['file']);
  });
});

describe("the tenant index behind each tenant's access log", () => {
  test('written with the events, one entry per tenant an event names', async () => {
    await writeChain('indexed', 4);
    const entries = await db.dataSource.query(
      `SELECT x.tenant_id, x.event_id FROM audit_event_subject x JOIN audit_event e ON e.id = x.event_id WHERE e.chain = 'indexed' ORDER BY x.event_id`,
    );
    const events = await rows('indexed');
    expect(entries).toEqual(events.map((e: any) => ({ tenant_id: e.tenant_ids[0], event_id: e.id })));
    expect((await verify()).broken).toBeNull();
  });

  test('an entry deleted hides an event from the tenant: verify names the event', async () => {
    await writeChain('hidden', 3);
    const [, second] = await rows('hidden');
    await superuser('DELETE FROM audit_event_subject WHERE event_id = $1', [second.id]);
    const { broken } = await verify();
    expect(broken).toMatchObject({ id: String(second.id), chain: 'hidden', seq: 2 });
    expect(broken!.reason).toMatch(/lacks a tenant the event names/);
  });

  test("an entry naming another tenant shows the event in that tenant's log: verify names it", async () => {
    await writeChain('shown', 3);
    const [first] = await rows('shown');
    const other = first.tenant_ids[0] === TENANT_A ? TENANT_B : TENANT_A;
    await superuser('INSERT INTO audit_event_subject (tenant_id, event_id, event_at) VALUES ($1, $2, $3)', [other, first.id, first.at]);
    const { broken } = await verify();
    expect(broken).toMatchObject({ id: String(first.id), chain: 'shown', seq: 1 });
    expect(broken!.reason).toMatch(/names a tenant the event does not/);
  });
});
