/**
 * THE privacy policy of the API: POLICY.md as data, declared once.
 *
 * Everything that decides who sees and changes what derives from this object, compiled once
 * (compiled.ts): the entry-point rules (graphql-shield), the per-field rules (the guard), the SQL
 * column lists and row scopes, the fields `search` may use, who may write what (the scoped writer),
 * the data export, masking (erasure, retention, anonymised copies) and the generated documentation.
 * A GraphQL field that is not named here is closed — the guard refuses a field it does not know,
 * graphql-shield's fallback rule an undeclared entry point — and a test walks the schema so that
 * none can be added unnamed.
 */
import { leaseCoversToday } from './running-lease';
import { all, and, arrayHas, col, currentDateBetween, eq, exists, isTrue, lit, not, param } from './scope-expr';
import { ALL_AUDIENCES, Audience, STAFF_AUDIENCES, staff } from '../../platform/auth/audiences';
import { writtenPath } from '../../platform/audit/audit-trail';
import { FieldRule, Masking, PersonalData, PrivacyPolicy, Source, SpecialCategory, STRUCTURAL } from './policy-types';
import { OBJECTABLE_PURPOSES } from './processing';

const ALL_STAFF = STAFF_AUDIENCES;
/** Any authenticated caller, a staff member without a purpose included; for data about no person. */
const SIGNED_IN = ALL_AUDIENCES.filter((a) => a !== 'public');

const nullify: Masking = { strategy: 'null' };
/** What an anonymisation writes over a name or a text that must stay non-empty: derived from nothing. */
const ANONYMISED: Masking = { strategy: 'fixed', value: 'Geanonimiseerd' };
/** Free text that must stay non-empty: the same text for everyone. */
const REMOVED: Masking = { strategy: 'fixed', value: '[verwijderd]' };
type Mark = typeof LEASE_BOUND | SpecialCategory;
const personal = (category: string, label: string, masking: Masking, source: Source, ...marks: Mark[]): PersonalData => {
  const special = marks.filter((m): m is SpecialCategory => m !== LEASE_BOUND);
  return { category, label, masking, source, ...(marks.includes(LEASE_BOUND) ? { leaseBound: true } : {}), ...(special.length ? { special } : {}) };
};
/** Needed while a lease runs (name, contact, bank account, address, contract): erasure waits for its end. */
const LEASE_BOUND = 'lease-bound' as const;
/** Free text may hold health data (art. 9) or criminal data (art. 10): the register warns of it. */
const HEALTH = 'art9' as const;
const CRIMINAL = 'art10' as const;
const keep = (reason: string): Masking => ({ strategy: 'keep', reason });

/** POLICY.md "Retention": a person is anonymised a year after deregistering (or the registration ended). */
const AFTER_DEREGISTRATION = { months: 12 } as const;
/** Dutch fiscal law: seven years after the end of the fiscal year the record belongs to. */
const FISCAL = { years: 7 } as const;
/** Rows about a person that go with the person's anonymisation: every personal field masked. */
const WITH_THE_PERSON = (nl: string) => ({ clock: { kind: 'subject' }, period: AFTER_DEREGISTRATION, action: 'anonymise', nl }) as const;

/** The same rule for several fields; the names stay literal types, so consumers name fields the compiler knows. */
function same<const N extends string>(rule: FieldRule, ...names: N[]): Record<N, FieldRule> {
  return Object.fromEntries(names.map((n) => [n, rule])) as Record<N, FieldRule>;
}

const CALLER_TENANT = param('tenantId');
const CALLER_ORG = param('orgId');
const EVERY_ROW = { where: all() };
const HANDED_TO_BAILIFF = lit('HANDED_TO_BAILIFF');

const OPEN_WORK = ['ASSIGNED', 'IN_PROGRESS'] as const;

// Tenant readers, per POLICY.md "Field visibility".
// The statement gives a contractor "uw telefoonnummer en adresgegevens": phone and address, not the name.
const TENANT_ID: Audience[] = ['tenant', ...ALL_STAFF, 'contractor', 'bailiff'];
const TENANT_NAME: Audience[] = ['tenant', ...ALL_STAFF, 'bailiff'];
/** LETTING registers a home seeker: what an allocation needs (POLICY.md "Writes"). */
const REGISTERS = staff('LETTING');
const TENANT_ADDRESS: Audience[] = ['tenant', ...ALL_STAFF, 'contractor', 'bailiff'];
const TENANT_BIRTH: Audience[] = ['tenant', ...staff('CONTRACT', 'LETTING', 'ARREARS', 'PRIVACY'), 'bailiff'];
const TENANT_EMAIL: Audience[] = ['tenant', ...ALL_STAFF];
const TENANT_PHONE: Audience[] = ['tenant', ...ALL_STAFF, 'contractor'];
const TENANT_IBAN: Audience[] = ['tenant', ...staff('CONTRACT', 'RENT_COLLECTION', 'ARREARS', 'PRIVACY')];
const TENANT_INCOME: Audience[] = ['tenant', ...staff('CONTRACT', 'LETTING', 'PRIVACY')];
const TENANT_ACCOUNT: Audience[] = ['tenant', ...ALL_STAFF];

const WORK_ORDER: Audience[] = ['tenant', ...staff('REPAIRS', 'PRIVACY'), 'contractor'];
const FINANCE: Audience[] = ['tenant', ...staff('RENT_COLLECTION', 'ARREARS', 'PRIVACY')];
const ARREARS: Audience[] = [...FINANCE, 'bailiff'];
const NUISANCE: Audience[] = ['tenant', ...staff('NUISANCE', 'PRIVACY')];
const LEASE: Audience[] = ['tenant', ...ALL_STAFF];
const RENOVATION: Audience[] = ['builder', ...staff('REPAIRS', 'PRIVACY')];
const PRIVACY_OFFICER = staff('PRIVACY');
/** Who hands personal data over, and so records the disclosure (POLICY.md "Disclosures"). */
const DISCLOSING = staff('REPAIRS', 'ARREARS', 'PRIVACY', 'CONTRACT');
/** Who rectifies a tenant's data, and so records the art. 19 notices it owes (corrections and requests). */
const RECTIFYING: Audience[] = ['tenant', ...staff('CONTRACT', 'RENT_COLLECTION', 'PRIVACY')];
/** Whose actions put a message in a tenant's inbox. */
const NOTIFYING = staff('ARREARS', 'PRIVACY');

export const policy = {
  restriction: { exempt: ['tenant', ...PRIVACY_OFFICER] },
  // Art. 21(1): against the purposes resting on legitimate interest (processing.ts declares which).
  objection: { purposes: OBJECTABLE_PURPOSES },
  // The privacy officer carries out an erasure request; the retention job anonymises who left a year ago.
  // An anonymised person is tied to no dwelling: their leases and work orders lose it.
  erasure: { by: PRIVACY_OFFICER, jobs: ['retention'], unlink: [{ type: 'Lease', foreignKey: 'dwellingId' }, { type: 'WorkOrder', foreignKey: 'dwellingId' }] },
  copyReplaces: { 'organization.name': 'user.content.recipient' },
  nonPersonal: {
    'organization.name': 'a business name: the organisation is a recipient, never a data subject',
    'organization.kind': 'an enumeration (contractor, builder, bailiff)',
    'work_order.status': 'an enumeration of the order\'s progress',
    'renovation_project.name': "the name of a building project of the corporation's own property",
    'arrears_case.status': 'an enumeration of the case\'s progress',
    'nuisance_case.status': 'an enumeration of the case\'s progress',
    'invoice.period': 'the month billed (YYYY-MM), what the fiscal retention needs; no identity once the tenant is anonymised',
    'invoice.status': 'an enumeration (open, paid)',
    'disclosure.recipient_kind': 'an enumeration of recipient kinds',
    'disclosure.purpose': 'a purpose of the policy or the legal obligation: a code, never free text',
    'disclosure.fields': 'field paths of the policy (`Tenant.phone`), never values',
    'notification.kind': 'an enumeration of message kinds',
    'data_subject_request.kind': 'an enumeration of GDPR rights',
    'data_subject_request.status': 'an enumeration of the request\'s progress',
    'data_subject_request.purposes': 'the purposes an objection names: codes of the policy, never free text',
    'consent_record.kind': 'an enumeration of what was consented to',
    'recipient_notice.action': 'an enumeration of the rights carried out (rectification, erasure, restriction)',
    'audit_event.actor_sub': "the reading account's id: the audit trail's proof of who read (its own retention); the anonymised copy takes no audit events",
    'audit_event.role': 'a role name',
    'audit_event.purpose': 'a purpose name',
    'audit_event.operation': 'the GraphQL operation name of the client',
    'audit_event.tenant_ids': 'random ids whose person is anonymised with the tenant row; the anonymised copy takes no audit events',
    'audit_event.fields': 'field paths of the policy, never values',
    'audit_event.chain': "the appending process's chain id",
    'audit_event.hash': 'the keyed hash of the event, over ids and names only',
    'audit_event.prev_hash': 'the previous event\'s hash',
    'privacy_statement_version.text': 'the published privacy statement: public, about nobody',
  },
  types: {
    Tenant: {
      table: 'tenant',
      subjectColumn: 'id',
      // A search for a name walks the distinct names (migration SearchValues).
      searchValues: 'tenant_search_value',
      scopes: {
        tenant: { where: eq(col('tenant.id'), CALLER_TENANT) },
        staff: EVERY_ROW,
        // Reached only through the contractor's work orders; the order decides whether it is open.
        contractor: {
          where: exists({ from: { table: 'work_order', alias: 'w' }, where: [eq(col('w.tenant_id'), col('tenant.id')), eq(col('w.contractor_id'), CALLER_ORG)] }),
          inheritsOpen: true,
        },
        bailiff: {
          where: exists({
            from: { table: 'arrears_case', alias: 'a' },
            where: [eq(col('a.tenant_id'), col('tenant.id')), eq(col('a.bailiff_id'), CALLER_ORG), eq(col('a.status'), HANDED_TO_BAILIFF)],
          }),
          inheritsOpen: true,
        },
      },
      fields: {
        id: { readers: TENANT_ID },
        firstName: {
          readers: TENANT_NAME, writers: [...staff('CONTRACT'), ...REGISTERS], searchable: 'contains',
          personal: personal('user.name.first', 'voornaam', { strategy: 'fixed', value: 'Anoniem' }, 'tenant', LEASE_BOUND),
        },
        lastName: {
          readers: TENANT_NAME, writers: [...staff('CONTRACT'), ...REGISTERS], searchable: 'contains',
          personal: personal('user.name.last', 'achternaam', ANONYMISED, 'tenant', LEASE_BOUND),
        },
        dateOfBirth: { readers: TENANT_BIRTH, writers: [...staff('CONTRACT'), ...REGISTERS], personal: personal('user.demographic.date_of_birth', 'geboortedatum', nullify, 'tenant', LEASE_BOUND) },
        email: { readers: TENANT_EMAIL, writers: ['tenant', ...REGISTERS], searchable: { equals: 'email' }, personal: personal('user.contact.email', 'e-mailadres', nullify, 'tenant', LEASE_BOUND) },
        phone: { readers: TENANT_PHONE, writers: ['tenant', ...REGISTERS], searchable: { equals: 'phone' }, personal: personal('user.contact.phone_number', 'telefoonnummer', nullify, 'tenant', LEASE_BOUND) },
        iban: {
          readers: TENANT_IBAN, writers: ['tenant', ...staff('RENT_COLLECTION')], searchable: { equals: 'iban' },
          personal: personal('user.financial.bank_account', 'IBAN', nullify, 'tenant', LEASE_BOUND),
        },
        incomeCategory: { readers: TENANT_INCOME, writers: REGISTERS, personal: personal('user.financial.income_category', 'inkomenscategorie', nullify, 'tax-authority') },
        householdSize: { readers: TENANT_INCOME, writers: REGISTERS, personal: personal('user.demographic.household_size', 'huishoudgrootte', nullify, 'tax-authority') },
        status: {
          // A lease that starts makes the person ACTIVE, the last one ending FORMER; LETTING registers a
          // HOME_SEEKER and ends a registration (FORMER); the retention job ends one not renewed for a year.
          readers: TENANT_ACCOUNT, writers: [...staff('CONTRACT'), ...REGISTERS], jobs: ['retention'],
          personal: personal('user.account.status', 'status van uw inschrijving', keep('retention needs to know who left; identifies nobody'), 'corporation'),
        },
        registeredAt: {
          readers: TENANT_ACCOUNT,
          // Not derived from the date (POLICY.md "Retention"): one fixed moment for everyone anonymised.
          personal: personal('user.account.registration_date', 'inschrijfdatum', { strategy: 'fixed', value: '1970-01-01T00:00:00.000Z' }, 'corporation'),
        },
        // Derived from the consent records (computed-columns.ts): a consent given and not withdrawn.
        analyticsConsent: {
          readers: ['tenant', ...PRIVACY_OFFICER], resolved: true,
          personal: personal('user.privacy_preferences', 'toestemming voor analytische cookies', keep('proof of consent'), 'tenant'),
        },
        consents: { readers: ['tenant', ...PRIVACY_OFFICER], resolved: true },
        // Found whole by its postcode (the dwelling the address shows): computed-columns.ts.
        address: {
          readers: TENANT_ADDRESS, resolved: true, searchable: { equals: 'postcode' },
          personal: personal('user.contact.address', 'adres', nullify, 'contract', LEASE_BOUND),
        },
        // The state of the tenant's rights, shown to the tenant (and in the export): set when the
        // privacy officer carries out a restriction (art. 18) or upholds an objection (art. 21); the row scopes read them.
        restricted: {
          readers: ['tenant', ...PRIVACY_OFFICER], writers: PRIVACY_OFFICER,
          personal: personal('user.privacy_preferences.restriction', 'beperking van de verwerking van uw gegevens', keep('the state of a right; identifies nobody'), 'tenant'),
        },
        objectedPurposes: {
          readers: ['tenant', ...PRIVACY_OFFICER], writers: PRIVACY_OFFICER,
          personal: personal('user.privacy_preferences.objection', 'doelen waartegen uw bezwaar is toegewezen', keep('the state of a right; identifies nobody'), 'tenant'),
        },
        leases: { readers: LEASE, resolved: true },
        workOrders: { readers: ['tenant', ...staff('REPAIRS', 'PRIVACY')], resolved: true },
        invoices: { readers: FINANCE, resolved: true },
        arrearsCases: { readers: FINANCE, resolved: true },
        nuisanceCases: { readers: NUISANCE, resolved: true },
        disclosures: { readers: ['tenant', ...PRIVACY_OFFICER], resolved: true },
      },
      stored: {
        anonymizedAt: { writers: PRIVACY_OFFICER, jobs: ['retention'], why: 'when an erasure or retention anonymised the tenant; retention skips them' },
        deregisteredAt: {
          writers: [...staff('CONTRACT'), ...REGISTERS], jobs: ['retention'],
          why: 'when the last lease or the registration ended (FORMER); retention counts its year from it. Cleared when the person signs a new lease',
        },
        registrationRenewedAt: { writers: REGISTERS, why: "when a home seeker last renewed the registration; a year later it ends unless renewed again" },
      },
      retention: {
        clock: { kind: 'date', field: 'deregisteredAt' }, period: AFTER_DEREGISTRATION, action: 'anonymise',
        nl: 'Een jaar nadat u bent afgemeld als huurder, of nadat uw inschrijving als woningzoekende is beëindigd, worden uw gegevens geanonimiseerd',
      },
    },

    Dwelling: {
      table: 'dwelling',
      // Its address is personal through the lease: a read of it is in the access log of whoever lives there.
      // Reached directly (a builder's project), its address is about whoever lives there at the time of the read.
      subjectsThrough: { table: 'lease', column: 'tenant_id', key: 'dwelling_id', where: leaseCoversToday('lease') },
      scopes: {
        tenant: { where: exists({ from: { table: 'lease', alias: 'l' }, where: [eq(col('l.dwelling_id'), col('dwelling.id')), eq(col('l.tenant_id'), CALLER_TENANT)] }) },
        staff: EVERY_ROW,
        contractor: {
          where: exists({ from: { table: 'work_order', alias: 'w' }, where: [eq(col('w.dwelling_id'), col('dwelling.id')), eq(col('w.contractor_id'), CALLER_ORG)] }),
          inheritsOpen: true,
        },
        builder: {
          where: exists({
            from: { table: 'renovation_project_dwelling', alias: 'rd' },
            joins: [{ table: 'renovation_project', alias: 'p', on: eq(col('p.id'), col('rd.project_id')) }],
            where: [eq(col('rd.dwelling_id'), col('dwelling.id')), eq(col('p.builder_id'), CALLER_ORG), currentDateBetween(col('p.starts_on'), col('p.ends_on'))],
          }),
          inheritsOpen: true,
        },
      },
      fields: {
        id: { readers: ['tenant', ...ALL_STAFF, 'contractor', 'builder'] },
        // Personal only through a lease: an erasure unlinks the person from the dwelling, and while a
        // resident is restricted the address is closed to whoever is not exempt.
        address: {
          readers: ['tenant', ...ALL_STAFF, 'contractor', 'builder'], resolved: true, columns: ['street', 'houseNumber', 'postalCode', 'city'],
          personal: personal('user.contact.address', 'adres van de woning', keep("the corporation's own property; personal only through a lease"), 'corporation'),
        },
      },
      retention: {
        clock: { kind: 'subject' }, period: AFTER_DEREGISTRATION, action: 'unlink',
        nl: 'De woning blijft van Mijande; uw huurcontracten en reparatieverzoeken worden bij de anonimisering losgemaakt van het adres',
      },
    },

    Address: STRUCTURAL,

    Lease: {
      table: 'lease',
      subjectColumn: 'tenant_id',
      keys: ['tenantId', 'dwellingId'],
      scopes: {
        tenant: { where: eq(col('lease.tenant_id'), CALLER_TENANT) },
        staff: EVERY_ROW,
        bailiff: {
          where: exists({
            from: { table: 'arrears_case', alias: 'a' },
            where: [eq(col('a.lease_id'), col('lease.id')), eq(col('a.bailiff_id'), CALLER_ORG), eq(col('a.status'), HANDED_TO_BAILIFF)],
          }),
          inheritsOpen: true,
        },
      },
      fields: {
        id: { readers: [...LEASE, 'bailiff'] },
        startDate: { readers: LEASE, writers: staff('CONTRACT'), personal: personal('user.contract.start_date', 'ingangsdatum van het huurcontract', keep('fiscal record'), 'contract') },
        endDate: { readers: LEASE, writers: staff('CONTRACT'), personal: personal('user.contract.end_date', 'einddatum van het huurcontract', keep('fiscal record'), 'contract') },
        // POLICY.md: the rent is for the contract, collection and arrears, not for every purpose.
        monthlyRent: {
          readers: ['tenant', ...staff('CONTRACT', 'RENT_COLLECTION', 'ARREARS', 'PRIVACY'), 'bailiff'], writers: staff('CONTRACT'),
          personal: personal('user.financial.rent', 'maandhuur', keep('fiscal record'), 'contract'),
        },
        dwelling: { readers: LEASE, writers: staff('CONTRACT'), resolved: true, foreignKey: 'dwellingId' },
      },
      retention: {
        clock: { kind: 'fiscalYear', field: 'endDate' }, period: FISCAL, action: 'delete',
        nl: 'Data en huur van een huurcontract zijn financiële administratie: verwijderd zeven jaar na het einde van het boekjaar waarin het contract eindigde',
      },
    },

    WorkOrder: {
      table: 'work_order',
      subjectColumn: 'tenant_id',
      keys: ['tenantId', 'dwellingId', 'contractorId'],
      scopes: {
        tenant: { where: eq(col('work_order.tenant_id'), CALLER_TENANT) },
        staff: EVERY_ROW,
        contractor: { where: eq(col('work_order.contractor_id'), CALLER_ORG), openWhile: { field: 'status', values: OPEN_WORK } },
      },
      fields: {
        ...same({ readers: WORK_ORDER }, 'id', 'createdAt', 'scheduledFor'),
        // The tenant requests, staff REPAIRS assigns, the contractor moves its own orders on.
        status: { readers: WORK_ORDER, writers: ['tenant', ...staff('REPAIRS'), 'contractor'] },
        completedAt: { readers: WORK_ORDER, writers: ['contractor'] },
        // The tenant's own words: free text that can name people and hold health data (art. 9).
        description: {
          readers: WORK_ORDER, writers: ['tenant'],
          personal: personal('user.content.repair_request', 'omschrijving van uw reparatieverzoek', REMOVED, 'tenant', HEALTH),
        },
        dwelling: { readers: WORK_ORDER, writers: ['tenant'], resolved: true, foreignKey: 'dwellingId' },
        tenant: { readers: [...staff('REPAIRS', 'PRIVACY'), 'contractor'], resolved: true },
        contractor: { readers: WORK_ORDER, writers: staff('REPAIRS'), resolved: true, foreignKey: 'contractorId' },
      },
      retention: WITH_THE_PERSON('Reparatieverzoeken: de omschrijving wordt samen met uw overige gegevens geanonimiseerd, een jaar na uw afmelding'),
    },

    Organization: {
      table: 'organization',
      scopes: {
        tenant: EVERY_ROW, staff: EVERY_ROW, contractor: EVERY_ROW, builder: EVERY_ROW, bailiff: EVERY_ROW,
      },
      fields: {
        id: { readers: SIGNED_IN },
        // The privacy officer registers a public authority on its first legal disclosure, so an
        // art. 19 notice keeps its addressee after an erasure masks the officer's name.
        ...same({ readers: SIGNED_IN, writers: PRIVACY_OFFICER }, 'name', 'kind'),
      },
    },

    RenovationProject: {
      table: 'renovation_project',
      scopes: {
        staff: EVERY_ROW,
        builder: { where: and(eq(col('renovation_project.builder_id'), CALLER_ORG), currentDateBetween(col('starts_on'), col('ends_on'))) },
      },
      fields: {
        ...same({ readers: RENOVATION }, 'id', 'name', 'startsOn', 'endsOn'),
        dwellings: { readers: RENOVATION, resolved: true },
      },
    },

    ArrearsCase: {
      table: 'arrears_case',
      subjectColumn: 'tenant_id',
      keys: ['tenantId', 'leaseId', 'bailiffId'],
      scopes: {
        tenant: { where: eq(col('arrears_case.tenant_id'), CALLER_TENANT) },
        staff: EVERY_ROW,
        bailiff: { where: and(eq(col('arrears_case.bailiff_id'), CALLER_ORG), eq(col('arrears_case.status'), HANDED_TO_BAILIFF)) },
      },
      fields: {
        ...same({ readers: ARREARS }, 'id', 'since'),
        ...same({ readers: ARREARS, writers: staff('ARREARS') }, 'status', 'handedOverAt'),
        amountDue: { readers: ARREARS, personal: personal('user.financial.debt', 'openstaand bedrag', keep('fiscal record'), 'corporation') },
        bailiff: { readers: staff('RENT_COLLECTION', 'ARREARS', 'PRIVACY'), writers: staff('ARREARS'), resolved: true, foreignKey: 'bailiffId' },
        tenant: { readers: [...staff('RENT_COLLECTION', 'ARREARS', 'PRIVACY'), 'bailiff'], resolved: true },
        lease: { readers: [...staff('RENT_COLLECTION', 'ARREARS', 'PRIVACY'), 'bailiff'], resolved: true },
      },
      stored: { closedAt: { writers: staff('ARREARS'), why: 'when the case was closed (the bailiff\'s access ended); the fiscal retention counts from its year' } },
      retention: {
        clock: { kind: 'fiscalYear', field: 'closedAt' }, period: FISCAL, action: 'delete',
        nl: 'Een afgesloten huurachterstand is financiële administratie: verwijderd zeven jaar na het einde van het boekjaar waarin de zaak werd afgesloten',
      },
    },

    NuisanceCase: {
      table: 'nuisance_case',
      subjectColumn: 'tenant_id',
      keys: ['tenantId', 'reportedById'],
      scopes: {
        tenant: { where: eq(col('nuisance_case.tenant_id'), CALLER_TENANT) },
        staff: EVERY_ROW,
      },
      fields: {
        ...same({ readers: NUISANCE }, 'id', 'status', 'createdAt'),
        // The reporter's statement, which can name the reporter and hold health or criminal data
        // (arts. 9, 10): the tenant it is about sees that a case exists, never the text (art. 15(4)).
        description: {
          readers: staff('NUISANCE', 'PRIVACY'),
          // Also the reporter's personal data: masked when either of them is anonymised.
          personal: { ...personal('user.behavior.nuisance', 'omschrijving van de overlastmelding', REMOVED, 'reporter', LEASE_BOUND, HEALTH, CRIMINAL), alsoAbout: 'reportedById' },
        },
        // The reporter is another person: never shown to the tenant the case is about.
        reportedBy: { readers: staff('NUISANCE', 'PRIVACY'), resolved: true },
      },
      retention: WITH_THE_PERSON('Overlastzaken: de melding wordt samen met uw overige gegevens geanonimiseerd, een jaar na uw afmelding'),
    },

    Invoice: {
      table: 'invoice',
      subjectColumn: 'tenant_id',
      keys: ['tenantId'],
      scopes: {
        tenant: { where: eq(col('invoice.tenant_id'), CALLER_TENANT) },
        staff: EVERY_ROW,
      },
      fields: {
        ...same({ readers: FINANCE }, 'id', 'period', 'status', 'paidAt'),
        amount: { readers: FINANCE, personal: personal('user.financial.invoice', 'factuurbedrag', keep('fiscal retention, 7 years'), 'contract') },
      },
      retention: {
        clock: { kind: 'fiscalYear', field: 'period' }, period: FISCAL, action: 'delete',
        nl: 'Facturen: bewaard voor de fiscale bewaarplicht, verwijderd zeven jaar na het einde van het boekjaar waartoe ze behoren',
      },
    },

    Disclosure: {
      table: 'disclosure',
      subjectColumn: 'tenant_id',
      keys: ['tenantId', 'recipientOrgId'],
      scopes: {
        // A withheld disclosure (legal reason) is not the tenant's to see.
        tenant: { where: and(eq(col('disclosure.tenant_id'), CALLER_TENANT), not(isTrue(col('disclosure.withheld')))) },
        staff: EVERY_ROW,
      },
      fields: {
        ...same({ readers: ['tenant', ...PRIVACY_OFFICER] }, 'id', 'disclosedAt'),
        // Recorded by whoever hands the data over: an assignment, a hand-over, a legal disclosure.
        recipientKind: { readers: ['tenant', ...PRIVACY_OFFICER], writers: DISCLOSING },
        // The receiving organisation (a contractor, builder, bailiff's office or public authority): no
        // person's data, so it stays after an erasure, and an art. 19 notice still has its addressee.
        recipientOrganization: { readers: ['tenant', ...PRIVACY_OFFICER], writers: DISCLOSING, resolved: true, foreignKey: 'recipientOrgId' },
        // Who received it (an authority's officer is named here): another person's name, masked with the tenant.
        recipientName: {
          readers: ['tenant', ...PRIVACY_OFFICER], writers: DISCLOSING,
          personal: personal('user.content.recipient', 'ontvanger van uw gegevens', ANONYMISED, 'staff'),
        },
        ...same({ readers: ['tenant', ...PRIVACY_OFFICER], writers: DISCLOSING }, 'purpose', 'fields'),
        withheld: { readers: PRIVACY_OFFICER, writers: PRIVACY_OFFICER },
        // When a withheld disclosure's legal reason ended and the tenant was told.
        releasedAt: { readers: ['tenant', ...PRIVACY_OFFICER], writers: PRIVACY_OFFICER },
        // Free text: the legal reason can name an investigation (art. 10).
        withheldReason: {
          readers: PRIVACY_OFFICER, writers: PRIVACY_OFFICER,
          personal: personal('user.content.withheld_reason', 'reden van achterhouden', REMOVED, 'staff', CRIMINAL),
        },
      },
      retention: WITH_THE_PERSON('Verstrekkingen aan anderen: geanonimiseerd samen met uw overige gegevens, een jaar na uw afmelding'),
    },

    // Consent (art. 7): when it was given, under which statement version, and when withdrawn. The
    // tenant gives and withdraws it; an erasure withdraws it.
    ConsentRecord: {
      table: 'consent_record',
      subjectColumn: 'tenant_id',
      keys: ['tenantId'],
      scopes: {
        tenant: { where: eq(col('consent_record.tenant_id'), CALLER_TENANT) },
        staff: EVERY_ROW,
      },
      fields: {
        id: { readers: ['tenant', ...PRIVACY_OFFICER] },
        ...same({ readers: ['tenant', ...PRIVACY_OFFICER], writers: ['tenant'] }, 'kind', 'statementVersion'),
        givenAt: {
          readers: ['tenant', ...PRIVACY_OFFICER], writers: ['tenant'],
          personal: personal('user.privacy_preferences.consent_given', 'tijdstip van uw toestemming', keep('proof of consent (art. 7(1))'), 'tenant'),
        },
        withdrawnAt: {
          readers: ['tenant', ...PRIVACY_OFFICER], writers: ['tenant', ...PRIVACY_OFFICER],
          // An erasure or anonymisation withdraws a consent still in force.
          personal: personal('user.privacy_preferences.consent_withdrawn', 'tijdstip van intrekking van uw toestemming', { strategy: 'endNow', reason: 'proof of the withdrawal (art. 7(3))' }, 'tenant'),
        },
      },
      retention: WITH_THE_PERSON('Uw toestemmingen voor analytische cookies, als bewijs: geanonimiseerd samen met uw overige gegevens, een jaar na uw afmelding'),
    },

    // Art. 19: a recipient holding a copy (a bailiff's file, an authority) is told of a rectification,
    // erasure or restriction; one notice per such recipient, listed for the privacy officer until sent.
    RecipientNotice: {
      table: 'recipient_notice',
      subjectColumn: 'tenant_id',
      keys: ['tenantId', 'disclosureId', 'requestId'],
      scopes: { staff: EVERY_ROW },
      fields: {
        ...same({ readers: PRIVACY_OFFICER }, 'id', 'createdAt'),
        // Recorded by whoever carries out the right: the privacy officer for a request, the tenant
        // or staff for a correction of their own (a rectification); only the privacy officer sends them.
        action: { readers: PRIVACY_OFFICER, writers: RECTIFYING },
        sentAt: { readers: PRIVACY_OFFICER, writers: PRIVACY_OFFICER },
        // The disclosure names the recipient and what it holds; the request what was carried out.
        disclosure: { readers: PRIVACY_OFFICER, writers: RECTIFYING, resolved: true, foreignKey: 'disclosureId' },
        request: { readers: PRIVACY_OFFICER, writers: PRIVACY_OFFICER, resolved: true, foreignKey: 'requestId' },
        tenant: { readers: PRIVACY_OFFICER, resolved: true },
      },
      retention: WITH_THE_PERSON('Mededelingen aan ontvangers die een kopie hebben (art. 19): geanonimiseerd samen met uw overige gegevens, een jaar na uw afmelding'),
    },

    Notification: {
      table: 'notification',
      subjectColumn: 'tenant_id',
      scopes: { tenant: { where: eq(col('notification.tenant_id'), CALLER_TENANT) } },
      fields: {
        ...same({ readers: ['tenant'] }, 'id', 'createdAt', 'readAt'),
        // Put in the inbox as a consequence of a staff action: a hand-over, a legal disclosure, a resolved request, a new statement.
        // The retention job tells the tenant when a held-back erasure completes.
        kind: { readers: ['tenant'], writers: NOTIFYING, jobs: ['retention'] },
        // Text about the tenant (a hand-over names the bailiff and what was disclosed): personal, audited when read.
        message: {
          readers: ['tenant'], writers: NOTIFYING, jobs: ['retention'],
          personal: personal('user.content.notification', 'bericht in uw inbox', REMOVED, 'corporation'),
        },
      },
      retention: WITH_THE_PERSON('Berichten in uw inbox: geanonimiseerd samen met uw overige gegevens, een jaar na uw afmelding'),
    },

    DataSubjectRequest: {
      table: 'data_subject_request',
      subjectColumn: 'tenant_id',
      keys: ['tenantId'],
      scopes: {
        tenant: { where: eq(col('data_subject_request.tenant_id'), CALLER_TENANT) },
        staff: EVERY_ROW,
      },
      fields: {
        ...same({ readers: ['tenant', ...PRIVACY_OFFICER] }, 'id'),
        // The tenant submits; the privacy officer works and resolves.
        ...same({ readers: ['tenant', ...PRIVACY_OFFICER], writers: ['tenant'] }, 'kind', 'receivedAt', 'dueAt'),
        // An objection's purposes (art. 21).
        purposes: { readers: ['tenant', ...PRIVACY_OFFICER], writers: ['tenant'] },
        status: { readers: ['tenant', ...PRIVACY_OFFICER], writers: ['tenant', ...PRIVACY_OFFICER] },
        resolvedAt: { readers: ['tenant', ...PRIVACY_OFFICER], writers: PRIVACY_OFFICER },
        // Free text about the tenant's request (what was erased, why a part was refused).
        outcome: {
          readers: ['tenant', ...PRIVACY_OFFICER], writers: PRIVACY_OFFICER, jobs: ['retention'],
          personal: personal('user.content.request_outcome', 'uitkomst van uw verzoek', nullify, 'staff'),
        },
        tenant: { readers: PRIVACY_OFFICER, resolved: true },
      },
      stored: {
        awaitingLeaseEnd: {
          writers: PRIVACY_OFFICER, jobs: ['retention'],
          why: 'an erasure held back by a running lease (art. 17(3)(b)); the retention job completes it once the last lease has ended',
        },
      },
      retention: WITH_THE_PERSON('Uw verzoeken (inzage, correctie, verwijdering, beperking): geanonimiseerd samen met uw overige gegevens, een jaar na uw afmelding'),
    },

    AuditEvent: {
      table: 'audit_event',
      // myAccessLog and auditLog(tenantId) walk a tenant's events by this index (migration AuditSubjectIndex).
      subjectIndex: { table: 'audit_event_subject', subject: 'tenant_id', row: 'event_id', field: 'tenantIds' },
      keys: ['orgId'],
      scopes: {
        tenant: {
          where: and(
            arrayHas(col('audit_event.tenant_ids'), CALLER_TENANT),
            // The event of recording a withheld disclosure would tell of it (its operation, its
            // fields): hidden from the tenant while any disclosure about them is still withheld.
            not(and(
              arrayHas(col('audit_event.fields'), lit(writtenPath('Disclosure.withheldReason')), 'text'),
              exists({ from: { table: 'disclosure', alias: 'w' }, where: [eq(col('w.tenant_id'), CALLER_TENANT), isTrue(col('w.withheld'))] }),
            )),
          ),
        },
        staff: EVERY_ROW,
      },
      fields: {
        ...same({ readers: ['tenant', ...PRIVACY_OFFICER] }, 'at', 'role', 'purpose', 'operation', 'fields'),
        // The organisation that read (which contractor, which bailiff): "who looked at me" names it.
        organization: { readers: ['tenant', ...PRIVACY_OFFICER], resolved: true },
        // Which employee looked is the employee's own personal data: the privacy officer's to see.
        ...same({ readers: PRIVACY_OFFICER }, 'id', 'actorSub', 'orgId', 'tenantIds', 'hash'),
      },
      // Covers a former tenant's year and the time to handle a complaint about an access; the job
      // retires each chain's expired prefix with a keyed marker, so `audit:verify` still holds.
      retention: {
        clock: { kind: 'date', field: 'at' }, period: { years: 2 }, action: 'delete',
        nl: 'Het auditlog van wie uw gegevens inzag: verwijderd twee jaar na de inzage',
      },
    },

    PrivacyStatement: {
      fields: same({ readers: ALL_AUDIENCES }, 'version', 'publishedAt', 'significant', 'text'),
    },

    IdealPayment: { fields: same({ readers: ['tenant'] }, 'paymentId', 'redirectUrl', 'amount') },

    PageInfo: STRUCTURAL,
    TenantConnection: STRUCTURAL,
    TenantEdge: STRUCTURAL,
    WorkOrderConnection: STRUCTURAL,
    WorkOrderEdge: STRUCTURAL,
    AuditEventConnection: STRUCTURAL,
    AuditEventEdge: STRUCTURAL,

    // Entry points: who may call them. What they return is then decided field by field above.
    Query: {
      fields: {
        ...same({ readers: ALL_STAFF }, 'tenants', 'tenant'),
        ...same({ readers: [...staff('REPAIRS', 'PRIVACY'), 'contractor'] }, 'workOrders', 'workOrder'),
        arrearsCases: { readers: [...staff('RENT_COLLECTION', 'ARREARS', 'PRIVACY'), 'bailiff'] },
        renovationProjects: { readers: RENOVATION },
        organizations: { readers: ['staff', ...ALL_STAFF] },
        ...same({ readers: PRIVACY_OFFICER }, 'dataSubjectRequests', 'auditLog', 'auditLogExport', 'recipientNotices'),
        ...same({ readers: ['tenant'] }, 'myProfile', 'myNotifications', 'myAccessLog', 'myDataExport'),
        privacyStatement: { readers: ALL_AUDIENCES },
      },
    },
    Mutation: {
      fields: {
        ...same({ readers: ['tenant'] },
          'updateMyContactDetails', 'submitRepairRequest', 'requestErasure', 'submitDataSubjectRequest', 'setAnalyticsConsent',
          'payInvoiceWithIdeal'),
        assignWorkOrder: { readers: staff('REPAIRS') },
        // Which fields each purpose may change is the fields' `writers`, checked per field.
        correctTenant: { readers: staff('CONTRACT', 'RENT_COLLECTION') },
        ...same({ readers: staff('CONTRACT') }, 'changeLease', 'startLease', 'endLease'),
        ...same({ readers: staff('LETTING') }, 'registerHomeSeeker', 'renewRegistration', 'endRegistration'),
        updateWorkOrderStatus: { readers: ['contractor'] },
        ...same({ readers: staff('ARREARS') }, 'handArrearsToBailiff', 'closeArrearsCase'),
        ...same({ readers: PRIVACY_OFFICER },
          'recordLegalDisclosure', 'resolveDataSubjectRequest', 'publishPrivacyStatement', 'refuseDataSubjectRequest', 'markRecipientNoticeSent',
          'liftRestriction', 'releaseWithheldDisclosure', 'announceToDataSubjects'),
      },
    },
  },
} as const satisfies PrivacyPolicy;
