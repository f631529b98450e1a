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
 * SHA-256 over a fixed-order serialisation that includes the previous event's hash; lists are
 * sorted, so the hash does not depend on their order. One-shot `hash`: no Hash object per event.
 */
export function hashEvent(e: ChainedEvent): string {
  const canonical = JSON.stringify([
    e.chain, Number(e.seq), e.at, e.actorSub, e.role, e.orgId, e.purpose, e.operation,
    [...e.tenantIds].sort(), [...e.fields].sort(), e.prevHash,
  ]);
  return hash('sha256', canonical, 'hex');
}
