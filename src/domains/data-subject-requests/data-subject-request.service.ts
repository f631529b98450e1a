import { assertUuid } from '../../privacy/read/connection';
import { BadUserInputError, NotFoundError } from '../../platform/errors';
import type { AppContext } from '../../privacy/context';
import { leaseNotEnded } from '../../privacy/policy/running-lease';
import { requestRefusedMessage, requestResolvedMessage } from './request-messages';
import { requiredText } from '../../platform/values/input';
import { OBJECTABLE_PURPOSES } from '../../privacy/policy/processing';
import { restrictionLiftedMessage } from '../notifications/messages';
import { recordRecipientNotices } from '../../privacy/write/recipient-notices';
import { withdrawConsents } from '../tenants/consent.service';
import { NotificationKind } from '../notifications/notification.entity';
import { notifyTenant } from '../notifications/notification.service';
import { leaseBoundFields } from '../../privacy/policy/disclosed-fields';
import { DatabaseTime, type ScopedWriter, writeThenRead } from '../../privacy/write/scoped-writer';
import { lockOwnTenant } from '../tenants/tenant.service';
import { DataSubjectRequestKind as Kind, DataSubjectRequestStatus as Status } from './data-subject-request.entity';

const OPEN: readonly Status[] = [Status.RECEIVED, Status.IN_PROGRESS];

/** The outcome of an erasure carried out in full, at once or when the last lease ended. */
export const ERASED = 'Anonymised: every personal field by its declared masking. Invoices are kept for the statutory fiscal retention period.';

/**
 * An objection's purposes: those named, each one the policy lets a tenant object to (art. 21(1):
 * resting on legitimate interest), or all of them when none is named. Other kinds name none.
 */
export function validPurposes(kind: Kind, purposes: readonly string[] | null | undefined): string[] | undefined {
  if (kind !== Kind.OBJECTION) {
    if (purposes?.length) throw new BadUserInputError('purposes are only given with an OBJECTION', 'purposes');
    return undefined;
  }
  if (!purposes?.length) return [...OBJECTABLE_PURPOSES];
  if (!purposes.every((p) => (OBJECTABLE_PURPOSES as readonly string[]).includes(p))) {
    throw new BadUserInputError(`purposes must each be one resting on legitimate interest: ${OBJECTABLE_PURPOSES.join(', ')}`, 'purposes');
  }
  return OBJECTABLE_PURPOSES.filter((p) => purposes.includes(p));
}

/**
 * Tenant: asks for access, rectification, erasure, restriction or objects (arts. 15–18, 21); due
 * one month after receipt (art. 12(3)). One open request per kind: asking again while one is open
 * returns that one (idempotent, so a double tap or a retry does not start a second deadline).
 */
export function submitDataSubjectRequest(ctx: AppContext, kind: Kind, purposes?: readonly string[] | null) {
  const objected = validPurposes(kind, purposes);
  return writeThenRead(ctx, 'DataSubjectRequest', async (writer) => {
    const tenantId = await lockOwnTenant(writer);
    const [open] = await writer.lookup(
      `SELECT id FROM data_subject_request WHERE tenant_id = $1 AND kind = $2 AND status = ANY($3) ORDER BY received_at LIMIT 1`,
      [tenantId, kind, OPEN],
    );
    if (open) return open.id;
    return writer.insert('DataSubjectRequest', tenantId, {
      kind, status: Status.RECEIVED, receivedAt: DatabaseTime.now, dueAt: DatabaseTime.fromNow(1, 'month'), purposes: objected,
    });
  });
}

/** Staff PRIVACY: carries out and resolves an open request; the tenant is told in the inbox. */
export function resolveDataSubjectRequest(ctx: AppContext, id: string) {
  assertUuid(id, 'id');
  return writeThenRead(ctx, 'DataSubjectRequest', async (writer) => {
    const request = await lockOpenRequest(writer, id);
    const outcome = await carryOut(writer, id, request);
    await writer.update('DataSubjectRequest', id, { status: Status.RESOLVED, resolvedAt: DatabaseTime.now, outcome });
    await notifyTenant(writer, request.tenantId, NotificationKind.REQUEST_PROGRESS, requestResolvedMessage(request.kind, request.receivedAt));
    return id;
  });
}

/**
 * Staff PRIVACY: refuses an open request (art. 12(4)), e.g. an objection against compelling
 * legitimate grounds (art. 21(1)) or a request that endangers another's privacy. It ends REFUSED
 * with the reason as its outcome, and the tenant is told the reason and the right to complain to
 * the Autoriteit Persoonsgegevens.
 */
export function refuseDataSubjectRequest(ctx: AppContext, id: string, reason: string) {
  assertUuid(id, 'id');
  const why = requiredText(reason, 'reason', { max: 2000 });
  return writeThenRead(ctx, 'DataSubjectRequest', async (writer) => {
    const request = await lockOpenRequest(writer, id);
    await writer.update('DataSubjectRequest', id, { status: Status.REFUSED, resolvedAt: DatabaseTime.now, outcome: why });
    await notifyTenant(writer, request.tenantId, NotificationKind.REQUEST_REFUSED, requestRefusedMessage(request.kind, request.receivedAt, why));
    return id;
  });
}

/**
 * Staff PRIVACY: lifts a tenant's restriction (art. 18(3)). The tenant is told first: the
 * notification is written before the flag changes, in the same transaction, so the restriction
 * never ends untold.
 */
export function liftRestriction(ctx: AppContext, tenantId: string) {
  assertUuid(tenantId, 'tenantId');
  return writeThenRead(ctx, 'Tenant', async (writer) => {
    const tenant = await writer.lock('Tenant', tenantId, ['restricted']);
    if (!tenant) throw new NotFoundError('Tenant');
    if (!tenant.restricted) throw new BadUserInputError('The tenant\'s processing is not restricted', 'tenantId');
    await notifyTenant(writer, tenantId, NotificationKind.RESTRICTION_LIFTED, restrictionLiftedMessage());
    await writer.update('Tenant', tenantId, { restricted: false });
    return tenantId;
  });
}

interface OpenRequest {
  kind: Kind;
  tenantId: string;
  receivedAt: Date;
  purposes: string[] | null;
}

/** The request, locked, if it is still open; NOT_FOUND or BAD_USER_INPUT otherwise. */
async function lockOpenRequest(writer: ScopedWriter, id: string): Promise<OpenRequest> {
  const request = await writer.lock('DataSubjectRequest', id, ['kind', 'status', 'tenantId', 'receivedAt', 'purposes']);
  if (!request) throw new NotFoundError('Data subject request');
  if (!OPEN.includes(request.status)) throw new BadUserInputError(`The request is already ${request.status.toLowerCase()}`, 'id');
  return request as OpenRequest;
}

/**
 * Does what the request asks and returns the outcome to record. A rectification, erasure or
 * restriction is told to every recipient holding a copy (art. 19), before an erasure masks the
 * disclosures that name them.
 */
async function carryOut(writer: ScopedWriter, id: string, { kind, tenantId, purposes }: OpenRequest): Promise<string> {
  switch (kind) {
    case Kind.ACCESS:
      return 'Export available via myDataExport';
    case Kind.RECTIFICATION:
      await recordRecipientNotices(writer, tenantId, 'RECTIFICATION', id);
      return 'Rectification handled';
    case Kind.RESTRICTION:
      await recordRecipientNotices(writer, tenantId, 'RESTRICTION', id);
      await writer.update('Tenant', tenantId, { restricted: true });
      return 'Processing restricted (GDPR art. 18)';
    case Kind.ERASURE:
      await recordRecipientNotices(writer, tenantId, 'ERASURE', id);
      return erase(writer, tenantId, id);
    case Kind.OBJECTION:
      return uphold(writer, tenantId, validPurposes(kind, purposes)!);
  }
}

/** Art. 21(1) upheld: the objected purposes' row scopes leave the tenant's rows out from now on. */
async function uphold(writer: ScopedWriter, tenantId: string, purposes: readonly string[]): Promise<string> {
  const tenant = await writer.lock('Tenant', tenantId, ['objectedPurposes']);
  if (!tenant) throw new NotFoundError('Tenant');
  const objected = OBJECTABLE_PURPOSES.filter((p) => purposes.includes(p) || (tenant.objectedPurposes as string[]).includes(p));
  await writer.update('Tenant', tenantId, { objectedPurposes: objected });
  return `Objection upheld (GDPR art. 21(1)): ${purposes.join(', ')} no longer process the tenant's data.`;
}

/**
 * While a lease has not ended, the fields the policy marks lease-bound stay until it ends
 * (art. 17(3)(b)) and the rest is masked now; the consent is withdrawn. Otherwise every personal
 * field about the tenant is masked by its declared strategy. The outcome records both, by name.
 */
async function erase(writer: ScopedWriter, tenantId: string, requestId: string): Promise<string> {
  const [lease] = await writer.lookup(`SELECT 1 FROM lease l WHERE l.tenant_id = $1 AND ${leaseNotEnded('l')} LIMIT 1`, [tenantId]);
  if (lease) {
    const erased = await writer.mask([tenantId], { keepLeaseBound: true });
    const withdrawn = await withdrawConsents(writer, tenantId);
    // The retention job completes the erasure once the last lease has ended.
    await writer.update('DataSubjectRequest', requestId, { awaitingLeaseEnd: true });
    return (
      `Partly refused (art. 17(3)(b)): a lease is running, so the data it needs is kept until it ends: ${leaseBoundFields().join(', ')}. ` +
      `Erased: ${[...erased, ...(withdrawn ? ['Tenant.analyticsConsent (withdrawn)'] : [])].join(', ')}. ` +
      'The rest is erased when the last lease has ended.'
    );
  }
  // The same masking as the retention job: every personal field about the tenant, in every table.
  await writer.mask([tenantId]);
  await writer.update('Tenant', tenantId, { anonymizedAt: DatabaseTime.now });
  return ERASED;
}
