import { RETENTION } from '../../privacy/policy/processing';

/**
 * Everyone whose data is still kept, as SQL over the `tenant` table: tenants, home seekers, and
 * former tenants within their retention period; not the anonymised. The one selection every
 * announcement reaches (POLICY.md "Announcements"). A home seeker is a person whose status is not
 * FORMER, so a registration that ends (status, date) is decided here once it exists.
 */
export function keptDataSubjectsWhere(): string {
  return (
    `tenant.anonymized_at IS NULL AND (tenant.status <> 'FORMER' OR tenant.deregistered_at IS NULL ` +
    `OR tenant.deregistered_at > now() - interval '${RETENTION.formerTenantMonths} months')`
  );
}
