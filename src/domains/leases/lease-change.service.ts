import { recipientPurpose } from '../../privacy/policy/processing';
import { BadUserInputError, NotFoundError } from '../../platform/errors';
import type { AppContext } from '../../privacy/context';
import { disclosedFields } from '../../privacy/policy/disclosed-fields';
import { assertUuid } from '../../privacy/read/connection';
import { assertWritable, ScopedWriter, validChanges, writeThenRead } from '../../privacy/write/scoped-writer';
import { RecipientKind } from '../disclosures/disclosure.entity';
import { recordDisclosure } from '../disclosures/disclosure.service';
import { TenantStatus } from '../tenants/tenant.entity';
import type { LeaseChangeInput } from './lease-change.input';
import type { LeaseStartInput } from './lease-start.input';

/** The checks of a lease's dates and rent, shared by the start and the change of a lease. */
const LEASE_VALUES = {
  date: (field: string) => (v: string) => {
    if (Number.isNaN(new Date(`${v}T00:00:00Z`).getTime())) throw new BadUserInputError(`${field} is not a date`, field);
    return v;
  },
  monthlyRent: (v: number) => {
    if (typeof v !== 'number' || !(v > 0 && v <= 10_000) || Math.round(v * 100) !== v * 100) {
      throw new BadUserInputError('monthlyRent must be a positive amount in euros with at most two decimals', 'monthlyRent');
    }
    return v;
  },
};

/** Staff CONTRACT: changes a lease's end date or rent. */
export function changeLease(ctx: AppContext, id: string, input: LeaseChangeInput) {
  const values = validChanges(ctx.viewer, 'Lease', input, { endDate: LEASE_VALUES.date('endDate'), monthlyRent: LEASE_VALUES.monthlyRent });
  return writeThenRead(ctx, 'Lease', async (writer) => {
    const lease = await writer.lock('Lease', id, ['startDate']);
    if (!lease) throw new NotFoundError('Lease');
    const end = values.endDate as string | undefined;
    if (end && end < lease.startDate) throw new BadUserInputError('endDate is before the start of the lease', 'endDate');
    await writer.update('Lease', id, values);
    return id;
  });
}

/**
 * Staff CONTRACT: ends a running lease on `endDate` (not before its start). When no other lease of
 * the tenant runs past it and the end date has passed, the tenant is deregistered in the same
 * transaction: FORMER, with the end date, from which retention counts its year. A lease ending today
 * or later leaves the person a tenant until then: the retention job deregisters them once the date
 * has passed. An erasure held back by the lease completes then too (the retention job does it).
 */
export function endLease(ctx: AppContext, id: string, endDate: string) {
  const end = LEASE_VALUES.date('endDate')(endDate);
  assertWritable(ctx.viewer, 'Lease', ['endDate']);
  return writeThenRead(ctx, 'Lease', async (writer) => {
    const lease = await writer.lock('Lease', id, ['startDate', 'endDate', 'tenantId']);
    if (!lease) throw new NotFoundError('Lease');
    const [{ today }] = await writer.lookup('SELECT CURRENT_DATE::text AS today');
    if (lease.endDate !== null && lease.endDate < today) throw new BadUserInputError('The lease has already ended', 'id');
    if (end < lease.startDate) throw new BadUserInputError('endDate is before the start of the lease', 'endDate');
    await writer.update('Lease', id, { endDate: end });
    // Another lease still running after this end date keeps the person a tenant.
    const [other] = await writer.lookup(
      `SELECT 1 FROM lease l WHERE l.tenant_id = $1 AND l.id <> $2 AND (l.end_date IS NULL OR l.end_date > $3::date) LIMIT 1`,
      [lease.tenantId, id, end],
    );
    if (!other && end < today) {
      const person = await writer.lock('Tenant', lease.tenantId, ['status']);
      if (person && person.status !== TenantStatus.FORMER) {
        await writer.update('Tenant', lease.tenantId, { status: TenantStatus.FORMER, deregisteredAt: new Date(`${end}T00:00:00Z`) });
      }
    }
    return id;
  });
}

/**
 * Staff CONTRACT: a person signs a lease for a dwelling that is free from its start. They become
 * ACTIVE (a former tenant who comes back is no longer deregistered). Moving into a dwelling of a
 * renovation project that has not ended gives its builder the address: that disclosure is recorded
 * in the same transaction (POLICY.md "Disclosures").
 */
export function startLease(ctx: AppContext, input: LeaseStartInput) {
  const tenantId = assertUuid(input.tenantId, 'tenantId');
  const dwellingId = assertUuid(input.dwellingId, 'dwellingId');
  const values = validChanges(ctx.viewer, 'Lease', { startDate: input.startDate, monthlyRent: input.monthlyRent }, {
    startDate: LEASE_VALUES.date('startDate'), monthlyRent: LEASE_VALUES.monthlyRent,
  });
  return writeThenRead(ctx, 'Lease', async (writer) => {
    const person = await writer.lock('Tenant', tenantId, ['status', 'anonymizedAt']);
    if (!person) throw new NotFoundError('Tenant');
    if (person.anonymizedAt) throw new BadUserInputError('An anonymised person cannot sign a lease', 'tenantId');
    // The dwelling's row lock keeps two leases from starting on it at once.
    if (!(await writer.lock('Dwelling', dwellingId))) throw new NotFoundError('Dwelling');
    const taken = await writer.lookup(
      `SELECT 1 FROM lease l WHERE l.dwelling_id = $1 AND (l.end_date IS NULL OR l.end_date >= $2::date) LIMIT 1`, [dwellingId, values.startDate],
    );
    if (taken.length) throw new BadUserInputError('The dwelling is let on or after that date', 'startDate');
    const leaseId = await writer.insert('Lease', tenantId, { ...values, dwelling: dwellingId });
    if (person.status !== TenantStatus.ACTIVE) await writer.update('Tenant', tenantId, { status: TenantStatus.ACTIVE, deregisteredAt: null });
    await discloseToBuilders(writer, tenantId, dwellingId, values.startDate as string);
    return leaseId;
  });
}

/** A disclosure to each builder whose project holds the dwelling and has not ended by the lease's start. */
async function discloseToBuilders(writer: ScopedWriter, tenantId: string, dwellingId: string, startDate: string): Promise<void> {
  const builders = await writer.lookup(
    `SELECT DISTINCT o.id, o.name FROM renovation_project p
       JOIN renovation_project_dwelling rd ON rd.project_id = p.id JOIN organization o ON o.id = p.builder_id
     WHERE rd.dwelling_id = $1 AND p.ends_on >= GREATEST($2::date, CURRENT_DATE) ORDER BY o.id`,
    [dwellingId, startDate],
  );
  for (const builder of builders) {
    await recordDisclosure(writer, {
      tenantId, recipientKind: RecipientKind.BUILDER, recipientOrgId: builder.id, recipientName: builder.name,
      purpose: recipientPurpose('builder'), fields: disclosedFields('builder'),
    });
  }
}
