/**
 * The processing the policy serves, as GDPR art. 30 asks to register it: purposes, data subjects,
 * recipients, retention. Part of the one policy declaration (policy.ts imports it): the retention
 * job reads its periods, the export states them, and the generated documents print them.
 */
import type { Purpose } from '../../platform/auth/audiences';

export const CONTROLLER = 'Mijande (woningcorporatie)';

export interface PurposeDeclaration {
  description: string;
  /** The line of the privacy statement it comes from (Dutch, verbatim). */
  statement: string;
  legalBasis: string;
}

export const PURPOSE_DECLARATIONS: Record<Purpose, PurposeDeclaration> = {
  REPAIRS: {
    description: 'Handle repair requests and maintenance',
    statement: 'uw reparatieverzoek in behandeling te nemen',
    legalBasis: 'Performance of the rental contract (art. 6(1)(b))',
  },
  CONTRACT: {
    description: 'Change the rental contract',
    statement: 'uw huurcontract te kunnen wijzigen',
    legalBasis: 'Performance of the rental contract (art. 6(1)(b))',
  },
  LETTING: {
    description: 'Show the housing offer, re-let dwellings, register home seekers',
    statement: 'u ons woningaanbod te laten zien',
    legalBasis: 'Steps at the request of the data subject before a contract (art. 6(1)(b)); allocation rules (art. 6(1)(c))',
  },
  RENT_COLLECTION: {
    description: 'Collect rent by direct debit; invoices',
    statement: 'uw huur via automatische incasso te laten lopen',
    legalBasis: 'Performance of the rental contract (art. 6(1)(b)); fiscal record keeping (art. 6(1)(c))',
  },
  ARREARS: {
    description: 'Keep track of rent arrears, up to handing a case to a bailiff',
    statement: 'huurachterstanden … in beeld te krijgen',
    legalBasis: 'Legitimate interest in collecting rent owed (art. 6(1)(f))',
  },
  NUISANCE: {
    description: 'Handle nuisance cases',
    statement: 'gevallen van overlast in beeld te krijgen',
    legalBasis: 'Legal obligation to provide quiet enjoyment (art. 6(1)(c)); legitimate interest (art. 6(1)(f))',
  },
  PRIVACY: {
    description: 'The privacy officer: data subject requests, disclosures by legal obligation, audit',
    statement: 'Worden we wettelijk gedwongen om uw persoonsgegevens vrij te geven aan een andere partij? Dan informeren wij u daarover.',
    legalBasis: 'Legal obligation (art. 6(1)(c); arts. 12–22, 30)',
  },
};

export const DATA_SUBJECTS = [
  { kind: 'Tenants', description: 'People who rent a dwelling (status ACTIVE)' },
  { kind: 'Home seekers', description: 'Registered people looking for a dwelling (status HOME_SEEKER)' },
  { kind: 'Former tenants', description: 'Deregistered tenants (status FORMER), until anonymised' },
  { kind: 'Reporters of nuisance', description: 'Tenants who report nuisance; never shown to the tenant reported on' },
];

/** Who outside the corporation receives personal data, and under which purpose. */
export const RECIPIENTS = [
  { recipient: 'Contractors', audience: 'contractor', purpose: 'REPAIRS', when: 'while a work order assigned to them is open' },
  { recipient: 'Builders', audience: 'builder', purpose: 'REPAIRS', when: 'while a renovation project of theirs runs' },
  { recipient: 'Bailiffs', audience: 'bailiff', purpose: 'ARREARS', when: 'when an arrears case cannot be solved with the tenant and is handed to them' },
  { recipient: 'iDEAL payment provider', audience: null, purpose: 'RENT_COLLECTION', when: 'only the amount and an opaque reference; no personal data' },
  { recipient: 'Authorities', audience: null, purpose: 'PRIVACY', when: 'whatever the law obliges; recorded as a disclosure, the tenant told unless the law forbids it' },
] as const;

/** Retention, enforced by `npm run retention`. */
export const RETENTION = {
  /** A tenant who deregistered is anonymised this many months later. */
  formerTenantMonths: 12,
  /** Invoices are deleted this many years after the end of their fiscal year (Dutch fiscal law). */
  invoiceYearsAfterFiscalYear: 7,
  rules: [
    { data: 'Personal data of a former tenant', period: 'anonymised one year after deregistration, or earlier on request (erasure)' },
    { data: 'Invoices', period: 'deleted seven years after the end of the fiscal year they belong to' },
    { data: 'Audit events', period: 'kept as evidence of lawful processing; they hold field names and ids, never values' },
  ],
} as const;

export const TRANSFERS_OUTSIDE_EEA = 'None';

export const SECURITY_MEASURES = [
  'Field-level access per role and purpose, deny by default, generated from one policy declaration',
  'Row scopes enforced in SQL; out-of-scope rows answer like missing ones',
  'Signed, short-lived tokens (HS256) with issuer and audience checks',
  'Every read of personal data audited in an append-only, hash-chained log; no audit, no data',
  'Test and demo environments use synthetic or anonymised data only',
];
