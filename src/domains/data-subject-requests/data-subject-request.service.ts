import type { EntityManager } from 'typeorm';
import { assertUuid } from '../../privacy/read/connection';
import { BadUserInputError, NotFoundError } from '../../platform/errors';
import type { AppContext } from '../../privacy/context';
import { leaseNotEnded } from '../../privacy/policy/running-lease';
import { requestResolvedMessage } from './request-messages';
import { NotificationKind } from '../notifications/notification.entity';
import { notifyTenant } from '../notifications/notification.service';
import { anonymizeSubjects } from '../../privacy/masking/anonymize-subjects';
import { leaseBoundFields } from '../../privacy/policy/disclosed-fields';
import { lockInScope, writeThenRead } from '../../privacy/write/scoped-write';
import { lockOwnTenant } from '../tenants/tenant.service';
import { DataSubjectRequestKind as Kind, DataSubjectRequestStatus as Status } from './data-subject-request.entity';

const OPEN: readonly Status[] = [Status.RECEIVED, Status.IN_PROGRESS];

/**
 * Tenant: asks for access, rectification, erasure or restriction; due one month after receipt
 * (art. 12(3)). One open request per kind: asking again while one is open returns that one
 * (idempotent, so a double tap or a retry does not start a second deadline).
 */
export function submitDataSubjectRequest(ctx: AppContext, kind: Kind) {
  return writeThenRead(ctx, 'DataSubjectRequest', async (m) => {
    const tenantId = await lockOwnTenant(m, ctx.viewer, []);
    const [open] = await m.query(
      `SELECT id FROM data_subject_request WHERE tenant_id = $1 AND kind = $2 AND status = ANY($3) ORDER BY received_at LIMIT 1`,
      [tenantId, kind, OPEN],
    );
    if (open) return open.id;
    const [{ id }] = await m.query(
      `INSERT INTO data_subject_request (tenant_id, kind, status, received_at, due_at)
       VALUES ($1, $2, $3, now(), now() + interval '1 month') RETURNING id`,
      [tenantId, kind, Status.RECEIVED],
    );
    return id;
  });
}

/** Staff PRIVACY: carries out and resolves an open request; the tenant is told in the inbox. */
export function resolveDataSubjectRequest(ctx: AppContext, id: string) {
  assertUuid(id, 'id');
  return writeThenRead(ctx, 'DataSubjectRequest', async (m) => {
    const request = await lockInScope(m, ctx.viewer, 'DataSubjectRequest', id, ['kind', 'status', 'tenant_id', 'received_at']);
    if (!request) throw new NotFoundError('Data subject request');
    if (!OPEN.includes(request.status)) throw new BadUserInputError(`The request is already ${request.status.toLowerCase()}`, 'id');
    const outcome = await carryOut(m, request.kind, request.tenant_id);
    await m.query(`UPDATE data_subject_request SET status = $2, resolved_at = now(), outcome = $3 WHERE id = $1`, [id, Status.RESOLVED, outcome]);
    await notifyTenant(m, request.tenant_id, NotificationKind.REQUEST_PROGRESS, requestResolvedMessage(request.kind, request.received_at));
    return id;
  });
}

/** Does what the request asks and returns the outcome to record. */
async function carryOut(m: EntityManager, kind: Kind, tenantId: string): Promise<string> {
  switch (kind) {
    case Kind.ACCESS:
      return 'Export available via myDataExport';
    case Kind.RECTIFICATION:
      return 'Rectification handled';
    case Kind.RESTRICTION:
      await m.query(`UPDATE tenant SET restricted = true WHERE id = $1`, [tenantId]);
      return 'Processing restricted (GDPR art. 18)';
    case Kind.ERASURE:
      return erase(m, tenantId);
  }
}

/**
 * While a lease has not ended, the fields the policy marks lease-bound stay until it ends
 * (art. 17(3)(b)) and the rest is masked now; the consent is withdrawn. Otherwise every personal
 * field about the tenant is masked by its declared strategy. The outcome records both, by name.
 */
async function erase(m: EntityManager, tenantId: string): Promise<string> {
  const [lease] = await m.query(`SELECT 1 FROM lease l WHERE l.tenant_id = $1 AND ${leaseNotEnded('l')} LIMIT 1`, [tenantId]);
  if (lease) {
    const erased = await anonymizeSubjects(m, [tenantId], { keepLeaseBound: true });
    await m.query(`UPDATE tenant SET analytics_consent = false WHERE id = $1`, [tenantId]);
    return (
      `Partly refused (art. 17(3)(b)): a lease is running, so the data it needs is kept until it ends: ${leaseBoundFields().join(', ')}. ` +
      `Erased: ${[...erased, 'Tenant.analyticsConsent (withdrawn)'].join(', ')}.`
    );
  }
  // The same masking as the retention job: every personal field about the tenant, in every table.
  await anonymizeSubjects(m, [tenantId]);
  await m.query(`UPDATE tenant SET anonymized_at = now() WHERE id = $1`, [tenantId]);
  return 'Anonymised: every personal field by its declared masking. Invoices are kept for the statutory fiscal retention period.';
}
