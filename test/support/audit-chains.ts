import type { DataSource } from 'typeorm';
import { AuditKey, ChainedEvent, hashEvent } from '../../src/platform/audit/audit-hash';

export interface ChainOptions {
  /** The tenant each event names. */
  tenantId: string;
  operation?: string;
  /** The seq of the first event written (a chain continued). */
  firstSeq?: number;
}

/**
 * Writes a keyed chain of events at the given times, straight into the table, anchored to
 * `prevHash`; returns their hashes by seq.
 */
export async function writeKeyedChain(
  ds: DataSource, key: AuditKey, name: string, times: string[], prevHash: string | null, options: ChainOptions,
): Promise<string[]> {
  const hashes: string[] = [];
  for (const [i, at] of times.entries()) {
    const e: ChainedEvent = {
      chain: name, seq: (options.firstSeq ?? 1) + i, at, actorSub: `emp-${i}`, role: 'staff', orgId: null, purpose: 'PRIVACY',
      operation: options.operation ?? 'query AuditChainTest', tenantIds: [options.tenantId], fields: ['Tenant.email'], prevHash,
    };
    const hash = hashEvent(e, key);
    await ds.query(
      `INSERT INTO audit_event (chain, seq, at, actor_sub, role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
      [name, e.seq, at, e.actorSub, e.role, e.orgId, e.purpose, e.operation, e.tenantIds, e.fields, prevHash, hash],
    );
    hashes.push(hash);
    prevHash = hash;
  }
  return hashes;
}
