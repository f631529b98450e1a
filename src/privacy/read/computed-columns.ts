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
