import { COPY_HOLDING_KINDS } from '../policy/processing';
import type { ScopedWriter } from './scoped-writer';

/** The rights whose carrying out a recipient holding a copy is told of (art. 19). */
export type RecipientNoticeAction = 'RECTIFICATION' | 'ERASURE' | 'RESTRICTION';

/**
 * Art. 19: records, in the caller's transaction, one notice for each recipient that holds a copy of
 * the tenant's data (the recipients the register marks `holdsCopy`, as the disclosures name them),
 * telling it of the rectification, erasure or restriction carried out. With `fields` (`Type.field`
 * paths corrected), only the recipients that received one of them. Withheld disclosures count: the
 * recipient holds the copy whether or not the tenant may know. Run before an erasure masks the
 * disclosures. Here, beside the writer, because both the tenants' corrections and the privacy
 * officer's requests record them. Returns how many notices it recorded.
 */
export async function recordRecipientNotices(
  writer: ScopedWriter, tenantId: string, action: RecipientNoticeAction, requestId: string | null, fields?: readonly string[],
): Promise<number> {
  if (fields && !fields.length) return 0;
  // One notice per recipient (its organisation, else the name recorded), on its latest disclosure,
  // which names it and what it received.
  const held: { id: string }[] = await writer.lookup(
    `SELECT DISTINCT ON (recipient_kind, COALESCE(recipient_org_id::text, recipient_name)) id FROM disclosure
     WHERE tenant_id = $1 AND recipient_kind = ANY($2) AND ($3::text[] IS NULL OR fields && $3::text[])
     ORDER BY recipient_kind, COALESCE(recipient_org_id::text, recipient_name), disclosed_at DESC, id`,
    [tenantId, [...COPY_HOLDING_KINDS], fields ? [...fields] : null],
  );
  for (const { id } of held) await writer.insert('RecipientNotice', tenantId, { action, disclosure: id, request: requestId ?? undefined });
  return held.length;
}
