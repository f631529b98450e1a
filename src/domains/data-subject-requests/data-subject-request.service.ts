import { assertUuid } from '../../privacy/read/connection';
import { BadUserInputError, NotFoundError } from '../../platform/errors';
import type { AppContext } from '../../privacy/context';
import { leaseNotEnded } from '../../privacy/policy/running-lease';
import { requestResolvedMessage } from './request-messages';
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
 * Tenant: asks for access, rectification, erasure or restriction; due one month after receipt
 * (art. 12(3)). One open request per kind: asking again while one is open returns that one
 * (idempotent, so a double tap or a retry does not start a second deadline).
 */
export function submitDataSubjectRequest(ctx: AppContext, kind: Kind) {
  return writeThenRead(ctx, 'DataSubjectRequest', async (writer) => {
    const tenantId = await lockOwnTenant(writer);
    const [open] = await writer.lookup(
      `SELECT id FROM data_subject_request WHERE tenant_id = $1 AND kind = $2 AND status = ANY($3) ORDER BY received_at LIMIT 1`,
      [tenantId, kind, OPEN],
    );
    if (open) return open.id;
    return writer.insert('DataSubjectRequest', tenantId, {
      kind, status: Status.RECEIVED, receivedAt: DatabaseTime.now, dueAt: DatabaseTime.fromNow(1, 'month'),
    });
  });
}

/** Staff PRIVACY: carries out and resolves an open request; the tenant is told in the inbox. */
export function resolveDataSubjectRequest(ctx: AppContext, id: string) {
  assertUuid(id, 'id');
  return writeThenRead(ctx, 'DataSubjectRequest', async (writer) => {
    const request = await writer.lock('DataSubjectRequest', id, ['kind', 'status', 'tenantId', 'receivedAt']);
    if (!request) throw new NotFoundError('Data subject request');
    if (!OPEN.includes(request.status)) throw new BadUserInputError(`The request is already ${request.status.toLowerCase()}`, 'id');
    const { outcome, awaitingLeaseEnd } = await carryOut(writer, request.kind, request.tenantId);
    await writer.update('DataSubjectRequest', id, {
      status: Status.RESOLVED, resolvedAt: DatabaseTime.now, outcome, ...(awaitingLeaseEnd ? { awaitingLeaseEnd } : {}),
    });
    await notifyTenant(writer, request.tenantId, NotificationKind.REQUEST_PROGRESS, requestResolvedMessage(request.kind, request.receivedAt));
    return id;
  });
}

/** Does what the request asks and returns the outcome to record; an erasure a lease holds back waits for its end. */
async function carryOut(writer: ScopedWriter, kind: Kind, tenantId: string): Promise<{ outcome: string; awaitingLeaseEnd?: true }> {
  switch (kind) {
    case Kind.ACCESS:
      return { outcome: 'Export available via myDataExport' };
    case Kind.RECTIFICATION:
      return { outcome: 'Rectification handled' };
    case Kind.RESTRICTION:
      await writer.update('Tenant', tenantId, { restricted: true });
      return { outcome: 'Processing restricted (GDPR art. 18)' };
    case Kind.ERASURE:
      return erase(writer, tenantId);
  }
}

/**
 * While a lease has not ended, the fields the policy marks lease-bound stay until it ends
 * (art. 17(3)(b)) and the rest is masked now; the consent is withdrawn. Otherwise every personal
 * field about the tenant is masked by its declared strategy. The outcome records both, by name.
 */
async function erase(writer: ScopedWriter, tenantId: string): Promise<{ outcome: string; awaitingLeaseEnd?: true }> {
  const [lease] = await writer.lookup(`SELECT 1 FROM lease l WHERE l.tenant_id = $1 AND ${leaseNotEnded('l')} LIMIT 1`, [tenantId]);
  if (lease) {
    const erased = await writer.mask([tenantId], { keepLeaseBound: true });
    await writer.update('Tenant', tenantId, { analyticsConsent: false });
    const outcome =
      `Partly refused (art. 17(3)(b)): a lease is running, so the data it needs is kept until it ends: ${leaseBoundFields().join(', ')}. ` +
      `Erased: ${[...erased, 'Tenant.analyticsConsent (withdrawn)'].join(', ')}. ` +
      'The rest is erased when the last lease has ended.';
    return { outcome, awaitingLeaseEnd: true };
  }
  // The same masking as the retention job: every personal field about the tenant, in every table.
  await writer.mask([tenantId]);
  await writer.update('Tenant', tenantId, { anonymizedAt: DatabaseTime.now });
  return { outcome: ERASED };
}
