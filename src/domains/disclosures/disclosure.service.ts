import type { ScopedWriter } from '../../privacy/write/scoped-writer';
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
export function recordDisclosure(writer: ScopedWriter, d: DisclosureRecord): Promise<string> {
  return writer.insert('Disclosure', d.tenantId, {
    recipientKind: d.recipientKind, recipientOrganization: d.recipientOrgId ?? undefined, recipientName: d.recipientName, purpose: d.purpose,
    fields: [...d.fields],
    // Only the privacy officer withholds; for everyone else the columns keep their defaults.
    ...(d.withheldReason ? { withheld: true, withheldReason: d.withheldReason } : {}),
  });
}
