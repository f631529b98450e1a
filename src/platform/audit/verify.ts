import { DataSource } from 'typeorm';
import { auditConfig } from '../config';
import { auditKeyObject, ChainedEvent, hashEvent } from './audit-hash';
import { CheckpointedHead, CheckpointSigner, readCheckpoints } from './checkpoint';
import { EVENT_COLUMNS, eventOfRow, readRetiredAnchor, readRetirements, StoredEventRow } from './retirement';

export interface BrokenLink {
  /** The event found wrong; null when what is wrong is a whole chain or a checkpoint. */
  id: string | null;
  chain: string | null;
  seq: number | null;
  reason: string;
}

export interface VerifyResult {
  events: number;
  chains: number;
  broken: BrokenLink | null;
  /** Chains hashed without a key (written before AUDIT_KEY): a superuser could have recomputed them, unless a checkpoint holds their head. */
  legacyChains: number;
  legacyEvents: number;
  /** Chains whose head a checkpoint holds, and the checkpoint files read. */
  checkpointedChains: number;
  checkpointFiles: number;
  /** Chains whose oldest events the retention job retired (`audit_retirement`). */
  retiredChains: number;
}

export interface VerifyOptions {
  /** AUDIT_KEY by default. */
  key?: string;
  /** Checkpoints to hold the chains against; without, only the table and the key are checked. */
  checkpointDir?: string;
}

const PAGE = 5000;

type Row = StoredEventRow;
const COLUMNS = EVENT_COLUMNS;
const eventOf = eventOfRow;

/**
 * Recomputes every chain: each event's hash from its content and its predecessor's hash, `seq`
 * without gaps, and each chain's first event linked to an event that exists (only the oldest chain
 * may start from nothing). A chain whose first event carries the HMAC with the key must carry it
 * throughout; one hashed without a key is legacy (written before AUDIT_KEY) and may not be anchored
 * to a keyed event (legacy chains came first). With `checkpointDir`, every checkpointed head must
 * be in the table as signed (not cut short, not rewritten, not dropped), and a chain checkpointed
 * as keyed must verify with the key. Returns the first broken link.
 */
export async function verifyAuditChains(dataSource: DataSource, options: VerifyOptions = {}): Promise<VerifyResult> {
  const secret = options.key ?? auditConfig().key;
  const key = auditKeyObject(secret);
  let checkpoints = new Map<string, CheckpointedHead>();
  let checkpointFiles = 0;
  const counts = { events: 0, chains: 0, legacyChains: 0, legacyEvents: 0 };
  let retiredChains = 0;
  const result = (broken: BrokenLink | null): VerifyResult => ({ ...counts, broken, checkpointedChains: checkpoints.size, checkpointFiles, retiredChains });
  if (options.checkpointDir) {
    const read = await readCheckpoints(options.checkpointDir, new CheckpointSigner(secret));
    checkpoints = read.heads;
    checkpointFiles = read.files;
    const [problem] = read.problems;
    if (problem) return result({ id: null, chain: null, seq: null, reason: `checkpoint ${problem.source}: ${problem.reason}` });
  }

  // Retired prefixes: a forged or altered retirement (bad MAC) could hide a chain's deleted events.
  const retirements = await readRetirements(dataSource, key);
  retiredChains = retirements.size;
  for (const r of retirements.values()) {
    if (!r.valid) return result({ id: null, chain: r.chain, seq: r.throughSeq, reason: 'the retirement of the chain does not verify with the key: it was forged or altered' });
  }
  const [oldest] = await dataSource.query('SELECT chain FROM audit_event ORDER BY at, id LIMIT 1');
  const seen = new Set<string>();
  let cursor: [string, string, string] = ['', '0', '0'];
  let prev = null as { chain: string; seq: number; hash: string; id: string; keyed: boolean } | null;
  /** The hash of the event at the checkpointed seq of the current chain. */
  let atCheckpoint: { id: string; hash: string } | undefined;

  /**
   * A checkpoint whose head lies inside the chain's retired prefix: its event is gone, so it holds
   * only if consistent with the retirement (at the retired head, the same hash). Undefined when the
   * checkpoint lies after the retirement and is checked against the events.
   */
  const retiredAgainst = (chain: string, cp: CheckpointedHead): BrokenLink | null | undefined => {
    const r = retirements.get(chain);
    if (!r || cp.seq > r.throughSeq) return undefined;
    if (cp.seq === r.throughSeq && cp.hash !== r.lastHash) {
      return { id: null, chain, seq: cp.seq, reason: `the retirement's last event differs from its checkpoint in ${cp.source}: the retirement or the chain was rewritten` };
    }
    return null;
  };

  /** At the end of a chain: its checkpoint, if any, must be in it. */
  const checkpointOf = (c: NonNullable<typeof prev>): BrokenLink | null => {
    const cp = checkpoints.get(c.chain);
    if (!cp) return null;
    const retired = retiredAgainst(c.chain, cp);
    if (retired !== undefined) return retired;
    if (c.seq < cp.seq) {
      return { id: c.id, chain: c.chain, seq: c.seq, reason: `the chain ends at seq ${c.seq}, but ${cp.source} checkpointed it at seq ${cp.seq}: its newest events were deleted` };
    }
    if (atCheckpoint?.hash !== cp.hash) {
      return { id: atCheckpoint?.id ?? null, chain: c.chain, seq: cp.seq, reason: `the event differs from its checkpoint in ${cp.source}: the chain was rewritten` };
    }
    if (cp.keyed && !c.keyed) {
      return { id: c.id, chain: c.chain, seq: null, reason: `the chain is hashed without the key, but ${cp.source} checkpointed it as keyed: it was rehashed` };
    }
    return null;
  };

  for (;;) {
    const rows: Row[] = await dataSource.query(
      // With the id in the key, no seq repeated at a page's end is skipped: (chain, seq) is not unique on a partitioned trail.
      `SELECT ${COLUMNS} FROM audit_event WHERE (chain, seq, id) > ($1, $2::bigint, $3::bigint) ORDER BY chain, seq, id LIMIT ${PAGE}`,
      cursor,
    );
    for (const r of rows) {
      counts.events++;
      const seq = Number(r.seq);
      const id = String(r.id);
      const link = (reason: string): VerifyResult => result({ id, chain: r.chain, seq, reason });
      const event = eventOf(r);
      let keyed: boolean;
      if (prev !== null && prev.chain === r.chain) {
        if (seq === prev.seq) return link(`seq ${seq} occurs twice in the chain: an event was inserted`);
        if (seq !== prev.seq + 1) return link(`events ${prev.seq + 1}..${seq - 1} of the chain are missing`);
        if (r.prev_hash !== prev.hash) return link('prev_hash does not match the previous event');
        keyed = prev.keyed;
        if (keyed && hashEvent(event, key) !== r.hash) {
          return link(hashEvent(event) === r.hash
            ? 'the hash was recomputed without the key: the event was edited (or its chain rehashed)'
            : 'the hash does not match the event: it was edited');
        }
        if (!keyed && hashEvent(event) !== r.hash) return link('the hash does not match the event: it was edited');
      } else {
        if (prev !== null) {
          const broken = checkpointOf(prev);
          if (broken) return result(broken);
        }
        atCheckpoint = undefined;
        seen.add(r.chain);
        counts.chains++;
        const retirement = retirements.get(r.chain);
        if (retirement) {
          // The chain goes on right after its retired prefix, linked to the last retired event.
          if (seq !== retirement.throughSeq + 1) {
            return link(seq > retirement.throughSeq + 1
              ? `events ${retirement.throughSeq + 1}..${seq - 1} of the chain are missing: its retirement covers only 1..${retirement.throughSeq}`
              : `the chain's retirement covers 1..${retirement.throughSeq}, but the chain holds seq ${seq}: the retirement was altered`);
          }
          if (r.prev_hash !== retirement.lastHash) return link("prev_hash does not match the last event of the chain's retirement");
        } else {
          if (seq !== 1) return link(`the chain starts at ${seq}: its first events are missing`);
          if (r.prev_hash === null && r.chain !== oldest?.chain) return link('a chain other than the oldest starts unanchored');
        }
        if (hashEvent(event, key) === r.hash) keyed = true;
        else if (hashEvent(event) === r.hash) keyed = false;
        else return link('the hash does not match the event: it was edited (or hashed with another key)');
        if (r.prev_hash !== null && !retirement) {
          const [anchor]: Row[] = await dataSource.query(`SELECT ${COLUMNS} FROM audit_event WHERE hash = $1 LIMIT 1`, [r.prev_hash]);
          let anchorKeyed: boolean;
          if (anchor) anchorKeyed = hashEvent(eventOf(anchor), key) === anchor.hash;
          else {
            // Gone by retention only if the job recorded it (keyed) and the other chain's retirement covers it.
            const retired = await readRetiredAnchor(dataSource, key, r.prev_hash);
            const covered = retired && retired.chain !== r.chain && (retirements.get(retired.chain)?.throughSeq ?? 0) >= retired.seq;
            if (!retired || !covered) return link('the event this chain was anchored to is missing');
            anchorKeyed = retired.keyed;
          }
          if (!keyed && anchorKeyed) {
            return link('a chain hashed without the key is anchored to a keyed event: it was written or rehashed without the key');
          }
        }
        if (!keyed) counts.legacyChains++;
      }
      if (!keyed) counts.legacyEvents++;
      if (seq === checkpoints.get(r.chain)?.seq) atCheckpoint = { id, hash: r.hash };
      prev = { chain: r.chain, seq, hash: r.hash, id, keyed };
    }
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1];
    cursor = [last.chain, String(last.seq), String(last.id)];
  }
  if (prev !== null) {
    const broken = checkpointOf(prev);
    if (broken) return result(broken);
  }
  for (const [chain, cp] of [...checkpoints].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!seen.has(chain)) {
      // A chain retired whole: its checkpoint must lie inside the retirement and agree with it.
      const retired = retiredAgainst(chain, cp);
      if (retired === null) continue;
      if (retired) return result(retired);
      return result({ id: null, chain, seq: cp.seq, reason: `${cp.source} checkpointed the chain at seq ${cp.seq}, but the table holds none of its events: it was dropped` });
    }
  }
  return result(await subjectIndexProblem(dataSource));
}

/**
 * The tenant index (audit_event_subject) against the events: each tenant an event names has its
 * entry, and no entry names a tenant its event does not. A missing entry hides the event from that
 * tenant's access log; the chains cannot show it, since the index is not hashed.
 */
async function subjectIndexProblem(dataSource: DataSource): Promise<BrokenLink | null> {
  const [missing]: Row[] = await dataSource.query(`
    SELECT e.id, e.chain, e.seq FROM audit_event e CROSS JOIN LATERAL unnest(e.tenant_ids) AS subject
    WHERE NOT EXISTS (SELECT 1 FROM audit_event_subject x WHERE x.tenant_id = subject AND x.event_id = e.id AND x.event_at = e.at)
    ORDER BY e.id LIMIT 1`);
  if (missing) {
    return { id: String(missing.id), chain: missing.chain, seq: Number(missing.seq), reason: "the tenant index lacks a tenant the event names: that tenant's access log would not show it" };
  }
  const [extra]: Row[] = await dataSource.query(`
    SELECT e.id, e.chain, e.seq FROM audit_event_subject x JOIN audit_event e ON e.id = x.event_id AND e.at = x.event_at
    WHERE NOT (x.tenant_id = ANY (e.tenant_ids)) ORDER BY e.id LIMIT 1`);
  if (extra) {
    return { id: String(extra.id), chain: extra.chain, seq: Number(extra.seq), reason: "the tenant index names a tenant the event does not: another tenant's access log would show it" };
  }
  return null;
}

