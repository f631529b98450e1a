import { createHmac } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditKey, ChainedEvent, hashEvent } from './audit-hash';
import type { AuditPartition } from './partitions';

/**
 * A chain's retired prefix (`audit_retirement`): events 1..`throughSeq` were deleted by the
 * retention job, the last of them hashed `lastHash`. `audit:verify` accepts the chain starting at
 * `throughSeq + 1`, linked to `lastHash`. The MAC is keyed with AUDIT_KEY, as the chain is, so a
 * superuser who deletes a chain's head and writes a retirement to cover it is caught.
 */
export interface AuditRetirement {
  chain: string;
  throughSeq: number;
  lastHash: string;
  retiredAt: string;
  mac: string;
}

export interface StoredEventRow {
  id: string | number;
  chain: string;
  seq: string | number;
  at: Date | string;
  actor_sub: string;
  role: string;
  org_id: string | null;
  purpose: string | null;
  operation: string;
  tenant_ids: string[];
  fields: string[];
  prev_hash: string | null;
  hash: string;
}

export const EVENT_COLUMNS = 'id, chain, seq, at, actor_sub, role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash';

export function eventOfRow(r: StoredEventRow): ChainedEvent {
  return {
    chain: r.chain, seq: Number(r.seq), at: new Date(r.at).toISOString(), actorSub: r.actor_sub, role: r.role, orgId: r.org_id,
    purpose: r.purpose, operation: r.operation, tenantIds: r.tenant_ids, fields: r.fields, prevHash: r.prev_hash,
  };
}

/** HMAC-SHA256 of a labelled canonical form: the label keeps a retirement's MAC from ever equalling an event's hash. */
export function retirementMac(key: AuditKey, r: Omit<AuditRetirement, 'mac'>): string {
  const text = JSON.stringify(['mijande audit retirement v1', r.chain, r.throughSeq, r.lastHash, r.retiredAt]);
  return createHmac('sha256', key).update(text).digest('hex');
}

/**
 * A retired event another chain starts from (`audit_retired_anchor`): its hash, where it was, and
 * whether it was keyed, under a MAC keyed with AUDIT_KEY, so nobody without the key can vouch for a
 * deleted anchor.
 */
export interface RetiredAnchor {
  hash: string;
  chain: string;
  seq: number;
  keyed: boolean;
}

export function retiredAnchorMac(key: AuditKey, a: RetiredAnchor): string {
  const text = JSON.stringify(['mijande audit retired anchor v1', a.chain, a.seq, a.hash, a.keyed]);
  return createHmac('sha256', key).update(text).digest('hex');
}

/** The retired anchor with this hash, if one is recorded and its MAC holds under `key`. */
export async function readRetiredAnchor(m: DataSource | EntityManager, key: AuditKey, hash: string): Promise<RetiredAnchor | null> {
  const [row] = await m.query('SELECT hash, chain, seq, keyed, mac FROM audit_retired_anchor WHERE hash = $1', [hash]);
  if (!row) return null;
  const anchor = { hash: row.hash, chain: row.chain, seq: Number(row.seq), keyed: row.keyed };
  return retiredAnchorMac(key, anchor) === row.mac ? anchor : null;
}

/** Every recorded retirement, by chain, each with whether its MAC holds under `key`. */
export async function readRetirements(m: DataSource | EntityManager, key: AuditKey): Promise<Map<string, AuditRetirement & { valid: boolean }>> {
  const rows: { chain: string; through_seq: string | number; last_hash: string; retired_at: Date | string; mac: string }[] =
    await m.query('SELECT chain, through_seq, last_hash, retired_at, mac FROM audit_retirement ORDER BY chain');
  return new Map(rows.map((r) => {
    const retirement = { chain: r.chain, throughSeq: Number(r.through_seq), lastHash: r.last_hash, retiredAt: new Date(r.retired_at).toISOString() };
    return [r.chain, { ...retirement, mac: r.mac, valid: retirementMac(key, retirement) === r.mac }];
  }));
}

/**
 * Which events are past their period: those whose `column` (the clock the policy declares for audit
 * events, given by the caller: this layer does not read the policy) is before `before`.
 */
export interface AuditExpiry {
  column: string;
  before: Date;
}

/** The clock column as SQL: a plain column name only, never text from elsewhere. */
function clockOf(expiry: AuditExpiry): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(expiry.column)) throw new Error(`not a column name: ${expiry.column}`);
  return `"${expiry.column}"`;
}

export interface RetireOptions {
  key: AuditKey;
  expiry: AuditExpiry;
  /** The job's date, recorded as the retirement's time. */
  now: Date;
  batchSize: number;
}

/** The chains holding events older than the cutoff. */
export async function chainsWithExpiredEvents(m: DataSource | EntityManager, expiry: AuditExpiry): Promise<string[]> {
  return (await m.query(`SELECT DISTINCT chain FROM audit_event WHERE ${clockOf(expiry)} < $1 ORDER BY chain`, [expiry.before]))
    .map((r: { chain: string }) => r.chain);
}

/**
 * The events the job would retire: per chain, the prefix whose every event is older than the cutoff
 * (an old event after a newer one stays, so a chain never gets a hole in the middle).
 */
export async function countExpiredPrefix(m: DataSource | EntityManager, expiry: AuditExpiry): Promise<number> {
  const clock = clockOf(expiry);
  const [{ n }] = await m.query(`
    SELECT count(*)::int AS n FROM audit_event e WHERE e.${clock} < $1
      AND NOT EXISTS (SELECT 1 FROM audit_event n WHERE n.chain = e.chain AND n.seq < e.seq AND n.${clock} >= $1)`, [expiry.before]);
  return n;
}

/** Where a chain's retirement stands: events 1..`through` are gone, the last hashed `lastHash`. */
interface RetiredThrough {
  through: number;
  lastHash: string | null;
}

/** The chain's recorded retirement, locked for the transaction; refused when its MAC does not hold. */
async function heldRetirement(m: EntityManager, chain: string, key: AuditKey): Promise<RetiredThrough> {
  const [held] = await m.query('SELECT through_seq, last_hash, retired_at, mac FROM audit_retirement WHERE chain = $1 FOR UPDATE', [chain]);
  if (!held) return { through: 0, lastHash: null };
  const recorded = { chain, throughSeq: Number(held.through_seq), lastHash: held.last_hash, retiredAt: new Date(held.retired_at).toISOString() };
  if (retirementMac(key, recorded) !== held.mac) {
    throw new Error(`audit chain ${chain}: its recorded retirement does not verify with AUDIT_KEY; run audit:verify`);
  }
  return { through: recorded.throughSeq, lastHash: recorded.lastHash };
}

/**
 * Checks that `rows` (the chain's next events, in seq order) continue `state` — contiguous, linked,
 * hashes sound: retiring a tampered stretch would launder it — and moves `state` to the last of
 * them. Returns whether each event's hash is keyed, by hash.
 */
function checkedRun(chain: string, rows: StoredEventRow[], state: RetiredThrough, key: AuditKey): Map<string, boolean> {
  const keyedOf = new Map<string, boolean>();
  for (const r of rows) {
    const seq = Number(r.seq);
    const event = eventOfRow(r);
    const keyed = hashEvent(event, key) === r.hash;
    const sound = seq === state.through + 1 && (state.through === 0 ? true : r.prev_hash === state.lastHash) && (keyed || hashEvent(event) === r.hash);
    if (!sound) throw new Error(`audit chain ${chain} is broken at seq ${seq}; not retired: run audit:verify`);
    keyedOf.set(r.hash, keyed);
    state.through = seq;
    state.lastHash = r.hash;
  }
  return keyedOf;
}

/** Events about to be retired that another chain starts from: their hashes stay, keyed, for audit:verify. */
async function keepAnchors(m: EntityManager, chain: string, rows: StoredEventRow[], keyedOf: Map<string, boolean>, key: AuditKey): Promise<void> {
  const anchors: { hash: string }[] = await m.query(
    'SELECT DISTINCT prev_hash AS hash FROM audit_event WHERE seq = 1 AND prev_hash = ANY($1::text[]) AND chain <> $2',
    [[...keyedOf.keys()], chain],
  );
  for (const { hash } of anchors) {
    const anchor: RetiredAnchor = { hash, chain, seq: Number(rows.find((r) => r.hash === hash)!.seq), keyed: keyedOf.get(hash)! };
    await m.query(
      'INSERT INTO audit_retired_anchor (hash, chain, seq, keyed, mac) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (hash) DO NOTHING',
      [hash, chain, anchor.seq, anchor.keyed, retiredAnchorMac(key, anchor)],
    );
  }
}

/** Moves the chain's recorded retirement to `state`, under a MAC keyed with AUDIT_KEY. */
async function recordRetirement(m: EntityManager, chain: string, state: RetiredThrough, now: Date, key: AuditKey): Promise<void> {
  const retirement = { chain, throughSeq: state.through, lastHash: state.lastHash!, retiredAt: now.toISOString() };
  await m.query(
    `INSERT INTO audit_retirement (chain, through_seq, last_hash, retired_at, mac) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (chain) DO UPDATE SET through_seq = EXCLUDED.through_seq, last_hash = EXCLUDED.last_hash, retired_at = EXCLUDED.retired_at, mac = EXCLUDED.mac`,
    [chain, state.through, state.lastHash, retirement.retiredAt, retirementMac(key, retirement)],
  );
}

/**
 * The tenant index entries of these events, each by its whole key (the tenants the event names),
 * taken from the events themselves so that `at` keeps its stored precision.
 */
async function deleteSubjectEntries(m: EntityManager, rows: StoredEventRow[]): Promise<void> {
  await m.query(
    `DELETE FROM audit_event_subject x
      USING (SELECT DISTINCT subject, e.id, e.at FROM audit_event e CROSS JOIN LATERAL unnest(e.tenant_ids) AS subject
             WHERE e.id = ANY($1::bigint[])) AS d
      WHERE x.tenant_id = d.subject AND x.event_id = d.id AND x.event_at = d.at`,
    [rows.map((r) => String(r.id))],
  );
}

/**
 * One batch of one chain, in the caller's transaction: the next up to `batchSize` events of the
 * chain's expired prefix are checked, deleted with their tenant index entries, and the retirement
 * moves to the last of them. Returns the events retired.
 */
export async function retireChainBatch(m: EntityManager, chain: string, options: RetireOptions): Promise<number> {
  const { key, expiry, now, batchSize } = options;
  const clock = clockOf(expiry);
  const state = await heldRetirement(m, chain, key);
  const [firstKept] = await m.query(`SELECT min(seq) AS seq FROM audit_event WHERE chain = $1 AND ${clock} >= $2`, [chain, expiry.before]);
  const rows: StoredEventRow[] = await m.query(
    `SELECT ${EVENT_COLUMNS} FROM audit_event WHERE chain = $1 AND ${clock} < $2 AND ($3::bigint IS NULL OR seq < $3::bigint) ORDER BY seq LIMIT $4`,
    [chain, expiry.before, firstKept?.seq ?? null, batchSize],
  );
  if (!rows.length) return 0;
  const keyedOf = checkedRun(chain, rows, state, key);
  await keepAnchors(m, chain, rows, keyedOf, key);
  // The append-only trigger lets this DELETE through only in a transaction that set the job's setting.
  await m.query(`SELECT set_config('mijande.audit_retention', 'on', true)`);
  await deleteSubjectEntries(m, rows);
  await m.query('DELETE FROM audit_event WHERE chain = $1 AND seq <= $2', [chain, state.through]);
  await recordRetirement(m, chain, state, now, key);
  await m.query(`SELECT set_config('mijande.audit_retention', 'off', true)`);
  return rows.length;
}

/**
 * A whole month of the trail past its period, in the caller's transaction: when the month's events
 * are, for every chain in it, the next run of that chain after its retirement (so the chain keeps no
 * hole), each run is checked as the row-wise retirement checks it, the retirements move to the
 * month's last events, and the month's two partitions are dropped. Null, with nothing changed, when
 * some chain's run is not such a prefix (an event of another month before it): the row-wise
 * retirement takes those events instead.
 */
export async function retirePartition(m: EntityManager, partition: AuditPartition, options: Omit<RetireOptions, 'expiry'>): Promise<number | null> {
  const { key, now, batchSize } = options;
  const events = partitionName(partition.events);
  const subjects = partitionName(partition.subjects);
  const chains: { chain: string; first: string; last: string; n: string }[] = await m.query(
    `SELECT chain, min(seq) AS first, max(seq) AS last, count(*) AS n FROM ${events} GROUP BY chain ORDER BY chain`);
  const states = new Map<string, RetiredThrough>();
  for (const c of chains) {
    const state = await heldRetirement(m, c.chain, key);
    if (Number(c.first) !== state.through + 1 || Number(c.n) !== Number(c.last) - Number(c.first) + 1) return null;
    const [elsewhere] = await m.query(
      `SELECT 1 FROM audit_event WHERE chain = $1 AND seq <= $2 AND tableoid <> $3::regclass LIMIT 1`, [c.chain, c.last, events]);
    if (elsewhere) return null;
    states.set(c.chain, state);
  }
  let retired = 0;
  for (const [chain, state] of states) {
    for (;;) {
      const rows: StoredEventRow[] = await m.query(
        `SELECT ${EVENT_COLUMNS} FROM ${events} WHERE chain = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [chain, state.through, batchSize]);
      if (!rows.length) break;
      await keepAnchors(m, chain, rows, checkedRun(chain, rows, state, key), key);
      retired += rows.length;
    }
    await recordRetirement(m, chain, state, now, key);
  }
  await m.query(`DROP TABLE ${subjects}`);
  await m.query(`DROP TABLE ${events}`);
  return retired;
}

/** A month partition's name as SQL: only the names the migration's function gives them. */
function partitionName(name: string): string {
  if (!/^audit_event_(subject_)?p\d{4}_\d{2}$/.test(name)) throw new Error(`not an audit month partition: ${name}`);
  return `"${name}"`;
}
