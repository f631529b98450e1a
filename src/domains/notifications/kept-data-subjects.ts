import { policy } from '../../privacy/policy/policy';

/** The person's retention period in months, as the policy declares it for Tenant. */
const period = policy.types.Tenant.retention.period;
const MONTHS = 'years' in period ? (period as { years: number }).years * 12 : period.months;

/**
 * Everyone whose data is still kept, as SQL over the `tenant` table: tenants, home seekers, and
 * former tenants within their retention period; not the anonymised. The one selection every
 * announcement reaches (POLICY.md "Announcements"). A home seeker is a person whose status is not
 * FORMER, so a registration that ends (status, date) is decided here once it exists.
 */
export function keptDataSubjectsWhere(): string {
  return (
    `tenant.anonymized_at IS NULL AND (tenant.status <> 'FORMER' OR tenant.deregistered_at IS NULL ` +
    `OR tenant.deregistered_at > now() - interval '${MONTHS} months')`
  );
}
