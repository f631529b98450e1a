import { leaseCoversToday } from '../policy/running-lease';
import { paramlessSql } from '../policy/scope-expr';
/**
 * Fields the policy marks `resolved` that are still read in the same statement as their row:
 * SQL over the type's table (aliased by its table name). Relations not listed here are loaded by resolvers.
 */
const ADDRESS_OF_DWELLING = (alias: string) =>
  `json_build_object('street', ${alias}.street, 'houseNumber', ${alias}.house_number, 'postalCode', ${alias}.postal_code, 'city', ${alias}.city)`;

/**
 * Of a computed field that shows a dwelling's address (`d`) on another person's row (`self`): the
 * address is also the home of whoever lives there now, so for an audience the restriction does not
 * exempt it is closed while one of them is restricted or anonymised, as the dwelling's own is.
 */
const NO_CLOSING_RESIDENT = (d: string, self: string) =>
  `NOT EXISTS (SELECT 1 FROM lease r JOIN tenant s ON s.id = r.tenant_id WHERE r.dwelling_id = ${d}.id AND r.tenant_id <> ${self}
    AND ${paramlessSql(leaseCoversToday('r'))} AND (s.restricted OR s.anonymized_at IS NOT NULL))`;

const TENANT_ADDRESS = (closing: boolean) => `(SELECT ${ADDRESS_OF_DWELLING('d')} FROM lease l JOIN dwelling d ON d.id = l.dwelling_id
    WHERE l.tenant_id = tenant.id AND tenant.anonymized_at IS NULL${closing ? ` AND ${NO_CLOSING_RESIDENT('d', 'tenant.id')}` : ''}
    ORDER BY (l.end_date IS NULL) DESC, l.start_date DESC LIMIT 1)`;

export const COMPUTED_COLUMNS: Record<string, string> = {
  // Derived from the consent records: a consent given and not withdrawn.
  'Tenant.analyticsConsent': `EXISTS (SELECT 1 FROM consent_record c WHERE c.tenant_id = tenant.id AND c.kind = 'ANALYTICS_COOKIES' AND c.withdrawn_at IS NULL)`,
  'Dwelling.address': ADDRESS_OF_DWELLING('dwelling'),
  // The dwelling let: the running lease, else the most recent one. An anonymised person has none
  // (erasure unlinks their leases; the condition holds should a link survive).
  'Tenant.address': TENANT_ADDRESS(false),
};

/** The same fields as read by an audience the restriction does not exempt (`NO_CLOSING_RESIDENT`). */
export const COMPUTED_COLUMNS_CLOSING: Record<string, string> = {
  'Tenant.address': TENANT_ADDRESS(true),
};

/**
 * How a search finds rows by a resolved field (`values`: the SQL of the values to compare with), for
 * the fields the policy marks searchable and `resolved`. A tenant's address by its postcode: the
 * dwellings with that postcode lead to their leases' tenants (indexes on both), and the address the
 * tenant shows must have it (an older lease's dwelling does not count).
 */
export const COMPUTED_SEARCHES: Record<string, (values: string) => string> = {
  'Tenant.address': (values) => `tenant.id IN (SELECT l.tenant_id FROM dwelling d JOIN lease l ON l.dwelling_id = d.id WHERE d.postal_code IN (${values}))
    AND (${COMPUTED_COLUMNS['Tenant.address']})->>'postalCode' IN (${values})`,
};
