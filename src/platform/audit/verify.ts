import { DataSource } from 'typeorm';
import { ChainedEvent, hashEvent } from './audit-hash';

export interface BrokenLink {
  id: string;
  chain: string;
  seq: number;
  reason: string;
}

export interface VerifyResult {
  events: number;
  chains: number;
  broken: BrokenLink | null;
}

const PAGE = 5000;

/**
 * Recomputes every chain: each event's hash from its content and its predecessor's hash, `seq`
 * without gaps, and each chain's first event linked to an event that exists (only the oldest chain
 * may start from nothing). Returns the first broken link.
 */
export async function verifyAuditChains(dataSource: DataSource): Promise<VerifyResult> {
  const [oldest] = await dataSource.query('SELECT chain FROM audit_event ORDER BY at, id LIMIT 1');
  let events = 0;
  const chains = new Set<string>();
  let cursor: [string, string] = ['', '0'];
  let prev = null as { chain: string; seq: number; hash: string } | null;
  for (;;) {
    const rows = await dataSource.query(
      `SELECT id, chain, seq, at, actor_sub, role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash
       FROM audit_event WHERE (chain, seq) > ($1, $2::bigint) ORDER BY chain, seq LIMIT ${PAGE}`,
      cursor,
    );
    for (const r of rows) {
      events++;
      const seq = Number(r.seq);
      const link = (reason: string): VerifyResult => ({ events, chains: chains.size + 1, broken: { id: String(r.id), chain: r.chain, seq, reason } });
      const event: ChainedEvent = {
        chain: r.chain, seq, at: new Date(r.at).toISOString(), actorSub: r.actor_sub, role: r.role, orgId: r.org_id,
        purpose: r.purpose, operation: r.operation, tenantIds: r.tenant_ids, fields: r.fields, prevHash: r.prev_hash,
      };
      if (prev !== null && prev.chain === r.chain) {
        if (seq !== prev.seq + 1) return link(`events ${prev.seq + 1}..${seq - 1} of the chain are missing`);
        if (r.prev_hash !== prev.hash) return link('prev_hash does not match the previous event');
      } else {
        chains.add(r.chain);
        if (seq !== 1) return link(`the chain starts at ${seq}: its first events are missing`);
        if (r.prev_hash === null && r.chain !== oldest?.chain) return link('a chain other than the oldest starts unanchored');
        if (r.prev_hash !== null) {
          const anchor = await dataSource.query('SELECT 1 FROM audit_event WHERE hash = $1 LIMIT 1', [r.prev_hash]);
          if (!anchor.length) return link('the event this chain was anchored to is missing');
        }
      }
      if (hashEvent(event) !== r.hash) return link('the hash does not match the event: it was edited');
      prev = { chain: r.chain, seq, hash: r.hash };
    }
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1];
    cursor = [last.chain, String(last.seq)];
  }
  return { events, chains: chains.size, broken: null };
}
