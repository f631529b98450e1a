import type { EntityManager } from 'typeorm';
import { RecipientKind } from './disclosure.entity';

export interface DisclosureRecord {
  tenantId: string;
  recipientKind: RecipientKind;
  recipientOrgId: string | null;
  recipientName: string;
  purpose: string;
  /** `Type.field` paths, from the policy. */
  fields: readonly string[];
  withheldReason?: string | null;
}

/** Records that personal data left the corporation (art. 15(1)(c)), in the caller's transaction. Returns its id. */
export async function recordDisclosure(m: EntityManager, d: DisclosureRecord): Promise<string> {
  const [{ id }] = await m.query(
    `INSERT INTO disclosure (tenant_id, recipient_kind, recipient_org_id, recipient_name, purpose, fields, withheld, withheld_reason)
     VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8) RETURNING id`,
    [d.tenantId, d.recipientKind, d.recipientOrgId, d.recipientName, d.purpose, [...d.fields], !!d.withheldReason, d.withheldReason ?? null],
  );
  return id;
}
