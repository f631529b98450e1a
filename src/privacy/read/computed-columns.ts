/**
 * Fields the policy marks `resolved` that are still read in the same statement as their row:
 * SQL over the type's table (aliased by its table name). Relations not listed here are loaded by resolvers.
 */
const ADDRESS_OF_DWELLING = (alias: string) =>
  `json_build_object('street', ${alias}.street, 'houseNumber', ${alias}.house_number, 'postalCode', ${alias}.postal_code, 'city', ${alias}.city)`;

export const COMPUTED_COLUMNS: Record<string, string> = {
  // Derived from the consent records: a consent given and not withdrawn.
  'Tenant.analyticsConsent': `EXISTS (SELECT 1 FROM consent_record c WHERE c.tenant_id = tenant.id AND c.kind = 'ANALYTICS_COOKIES' AND c.withdrawn_at IS NULL)`,
  'Dwelling.address': ADDRESS_OF_DWELLING('dwelling'),
  // The dwelling let: the running lease, else the most recent one. An anonymised person has none
  // (erasure unlinks their leases; the condition holds should a link survive).
  'Tenant.address': `(SELECT ${ADDRESS_OF_DWELLING('d')} FROM lease l JOIN dwelling d ON d.id = l.dwelling_id
    WHERE l.tenant_id = tenant.id AND tenant.anonymized_at IS NULL ORDER BY (l.end_date IS NULL) DESC, l.start_date DESC LIMIT 1)`,
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
