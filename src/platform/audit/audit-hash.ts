import { hash } from 'node:crypto';

/** What one audit event records: who, which operation, which tenants, which fields — never values. */
export interface AuditRecord {
  actorSub: string;
  role: string;
  orgId: string | null;
  purpose: string | null;
  operation: string;
  tenantIds: string[];
  fields: string[];
}

export interface ChainedEvent extends AuditRecord {
  chain: string;
  seq: number;
  at: string;
  prevHash: string | null;
}

/**
 * A record serialised once, when its request hands it in: the part of the hash's canonical form
 * that the request decides, and the same values as JSON object members for the INSERT. Lists are
 * sorted, so the hash does not depend on their order. What is left for the moment the event joins
 * its chain (position, time, link) is a few short strings: the sorting and serialising of long
 * tenant lists stays out of the batch's critical path.
 */
export interface PreparedRecord {
  /** `actorSub,role,orgId,purpose,operation,[tenantIds],[fields]` as JSON array elements. */
  content: string;
  /** The same, as JSON object members (`"actorSub":…,"tenantIds":[…]`). */
  members: string;
}

export function prepareRecord(r: AuditRecord): PreparedRecord {
  const scalars = [r.actorSub, r.role, r.orgId, r.purpose, r.operation].map((v) => JSON.stringify(v));
  const tenantIds = JSON.stringify([...r.tenantIds].sort());
  const fields = JSON.stringify([...r.fields].sort());
  return {
    content: `${scalars.join(',')},${tenantIds},${fields}`,
    members: `"actorSub":${scalars[0]},"role":${scalars[1]},"orgId":${scalars[2]},"purpose":${scalars[3]},"operation":${scalars[4]},"tenantIds":${tenantIds},"fields":${fields}`,
  };
}

/**
 * SHA-256 over the canonical serialisation `[chain, seq, at, actorSub, role, orgId, purpose,
 * operation, [tenantIds sorted], [fields sorted], prevHash]` (JSON, no spaces), which includes the
 * previous event's hash. One-shot `hash`: no Hash object per event.
 */
export function hashPrepared(p: PreparedRecord, chain: string, seq: number, at: string, prevHash: string | null): string {
  return hash('sha256', `[${JSON.stringify(chain)},${seq},${JSON.stringify(at)},${p.content},${JSON.stringify(prevHash)}]`, 'hex');
}

/** The hash of a stored event (verification recomputes it from the row). */
export function hashEvent(e: ChainedEvent): string {
  return hashPrepared(prepareRecord(e), e.chain, Number(e.seq), e.at, e.prevHash);
}
