import { personalFieldPaths } from './disclosed-fields';

/**
 * How a personal field is named to the tenant (Dutch), in notifications about disclosures.
 * A label names the kind of data, never its value. A test checks every personal field has one.
 */
export const FIELD_LABELS_NL: Readonly<Record<string, string>> = {
  'Tenant.firstName': 'voornaam',
  'Tenant.lastName': 'achternaam',
  'Tenant.dateOfBirth': 'geboortedatum',
  'Tenant.email': 'e-mailadres',
  'Tenant.phone': 'telefoonnummer',
  'Tenant.iban': 'IBAN',
  'Tenant.incomeCategory': 'inkomenscategorie',
  'Tenant.householdSize': 'huishoudgrootte',
  'Tenant.status': 'status van uw inschrijving',
  'Tenant.registeredAt': 'inschrijfdatum',
  'Tenant.analyticsConsent': 'toestemming voor analytische cookies',
  'Tenant.address': 'adres',
  'Dwelling.address': 'adres van de woning',
  'Lease.startDate': 'ingangsdatum van het huurcontract',
  'Lease.endDate': 'einddatum van het huurcontract',
  'Lease.monthlyRent': 'maandhuur',
  'ArrearsCase.amountDue': 'openstaand bedrag',
  'NuisanceCase.description': 'omschrijving van de overlastmelding',
  'Invoice.amount': 'factuurbedrag',
};

/** The Dutch names of the fields, each once, in the given order. */
export function fieldLabels(paths: readonly string[]): string[] {
  return [...new Set(paths.map((p) => FIELD_LABELS_NL[p] ?? p))];
}

/** Personal fields the policy declares that have no label yet (a test keeps this empty). */
export function unlabelledFields(): string[] {
  return personalFieldPaths().filter((p) => !(p in FIELD_LABELS_NL));
}
