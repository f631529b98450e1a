import { createHmac, createSecretKey, hash, KeyObject } from 'node:crypto';

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

/** An HMAC key made once: each event's hash then costs no key setup. */
export type AuditKey = KeyObject;

export function auditKeyObject(secret: string | Buffer): AuditKey {
  return createSecretKey(typeof secret === 'string' ? Buffer.from(secret) : secret);
}

/**
 * The canonical serialisation `[chain, seq, at, actorSub, role, orgId, purpose, operation,
 * [tenantIds sorted], [fields sorted], prevHash]` (JSON, no spaces), which includes the previous
 * event's hash.
 */
function canonical(p: PreparedRecord, chain: string, seq: number, at: string, prevHash: string | null): string {
  return `[${JSON.stringify(chain)},${seq},${JSON.stringify(at)},${p.content},${JSON.stringify(prevHash)}]`;
}

/**
 * With a key: HMAC-SHA256 of the canonical form, as every chain is written now. The key is not in
 * the database, so a superuser who edits or deletes events cannot make the chain agree again.
 * Without: plain SHA-256 (one-shot `hash`), as chains were written before AUDIT_KEY; verification
 * still recognises those legacy chains and reports them as such.
 */
export function hashPrepared(p: PreparedRecord, chain: string, seq: number, at: string, prevHash: string | null, key?: AuditKey): string {
  const text = canonical(p, chain, seq, at, prevHash);
  return key ? createHmac('sha256', key).update(text).digest('hex') : hash('sha256', text, 'hex');
}

/** The hash of a stored event (verification recomputes it from the row); unkeyed without `key`. */
export function hashEvent(e: ChainedEvent, key?: AuditKey): string {
  return hashPrepared(prepareRecord(e), e.chain, Number(e.seq), e.at, e.prevHash, key);
}
