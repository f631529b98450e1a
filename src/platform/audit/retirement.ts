import { createHmac } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditKey, ChainedEvent, hashEvent } from './audit-hash';

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

/**
 * One batch of one chain, in the caller's transaction: the next up to `batchSize` events of the
 * chain's expired prefix are checked (contiguous after the last retirement, linked, hashes sound —
 * retiring a tampered stretch would launder it), deleted with their tenant index entries (ON DELETE
 * CASCADE), and the retirement moves to the last of them. Returns the events retired.
 */
export async function retireChainBatch(m: EntityManager, chain: string, options: RetireOptions): Promise<number> {
  const { key, expiry, now, batchSize } = options;
  const clock = clockOf(expiry);
  const [held] = await m.query('SELECT through_seq, last_hash, retired_at, mac FROM audit_retirement WHERE chain = $1 FOR UPDATE', [chain]);
  let through = held ? Number(held.through_seq) : 0;
  let lastHash: string | null = held ? held.last_hash : null;
  if (held && retirementMac(key, { chain, throughSeq: through, lastHash: held.last_hash, retiredAt: new Date(held.retired_at).toISOString() }) !== held.mac) {
    throw new Error(`audit chain ${chain}: its recorded retirement does not verify with AUDIT_KEY; run audit:verify`);
  }
  const [firstKept] = await m.query(`SELECT min(seq) AS seq FROM audit_event WHERE chain = $1 AND ${clock} >= $2`, [chain, expiry.before]);
  const rows: StoredEventRow[] = await m.query(
    `SELECT ${EVENT_COLUMNS} FROM audit_event WHERE chain = $1 AND ${clock} < $2 AND ($3::bigint IS NULL OR seq < $3::bigint) ORDER BY seq LIMIT $4`,
    [chain, expiry.before, firstKept?.seq ?? null, batchSize],
  );
  if (!rows.length) return 0;
  const keyedOf = new Map<string, boolean>();
  for (const r of rows) {
    const seq = Number(r.seq);
    const event = eventOfRow(r);
    const keyed = hashEvent(event, key) === r.hash;
    const sound = seq === through + 1 && (through === 0 ? true : r.prev_hash === lastHash) && (keyed || hashEvent(event) === r.hash);
    if (!sound) throw new Error(`audit chain ${chain} is broken at seq ${seq}; not retired: run audit:verify`);
    keyedOf.set(r.hash, keyed);
    through = seq;
    lastHash = r.hash;
  }
  // Events of this batch that another chain starts from: their hashes stay, keyed, for audit:verify.
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
  // The append-only trigger lets this DELETE through only in a transaction that set the job's setting.
  await m.query(`SELECT set_config('mijande.audit_retention', 'on', true)`);
  await m.query('DELETE FROM audit_event WHERE chain = $1 AND seq <= $2', [chain, through]);
  const retirement = { chain, throughSeq: through, lastHash: lastHash!, retiredAt: now.toISOString() };
  await m.query(
    `INSERT INTO audit_retirement (chain, through_seq, last_hash, retired_at, mac) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (chain) DO UPDATE SET through_seq = EXCLUDED.through_seq, last_hash = EXCLUDED.last_hash, retired_at = EXCLUDED.retired_at, mac = EXCLUDED.mac`,
    [chain, through, lastHash, retirement.retiredAt, retirementMac(key, retirement)],
  );
  await m.query(`SELECT set_config('mijande.audit_retention', 'off', true)`);
  return rows.length;
}
