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
import { FieldRule, Masking, PersonalData, PrivacyPolicy, STRUCTURAL } from './policy-types';

const ALL_STAFF = STAFF_AUDIENCES;
/** Any authenticated caller, a staff member without a purpose included; for data about no person. */
const SIGNED_IN = ALL_AUDIENCES.filter((a) => a !== 'public');

const nullify: Masking = { strategy: 'null' };
const personal = (category: string, label: string, masking: Masking = nullify, leaseBound?: 'lease-bound'): PersonalData =>
  ({ category, label, masking, ...(leaseBound ? { leaseBound: true } : {}) });
/** Needed while a lease runs (name, contact, bank account, address, contract): erasure waits for its end. */
const LEASE_BOUND = 'lease-bound' as const;
const keep = (reason: string): Masking => ({ strategy: 'keep', reason });

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
/** Whose actions put a message in a tenant's inbox. */
const NOTIFYING = staff('ARREARS', 'PRIVACY');

export const policy = {
  restriction: { exempt: ['tenant', ...PRIVACY_OFFICER] },
  // The privacy officer carries out an erasure request; the retention job anonymises who left a year ago.
  erasure: { by: PRIVACY_OFFICER, jobs: ['retention'] },
  types: {
    Tenant: {
      table: 'tenant',
      subjectColumn: 'id',
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
          readers: TENANT_NAME, writers: staff('CONTRACT'), searchable: 'contains',
          personal: personal('user.name.first', 'voornaam', { strategy: 'fixed', value: 'Anoniem' }, LEASE_BOUND),
        },
        lastName: {
          readers: TENANT_NAME, writers: staff('CONTRACT'), searchable: 'contains',
          personal: personal('user.name.last', 'achternaam', { strategy: 'hash' }, LEASE_BOUND),
        },
        dateOfBirth: { readers: TENANT_BIRTH, writers: staff('CONTRACT'), personal: personal('user.demographic.date_of_birth', 'geboortedatum', nullify, LEASE_BOUND) },
        email: { readers: TENANT_EMAIL, writers: ['tenant'], searchable: { equals: 'email' }, personal: personal('user.contact.email', 'e-mailadres', nullify, LEASE_BOUND) },
        phone: { readers: TENANT_PHONE, writers: ['tenant'], searchable: { equals: 'phone' }, personal: personal('user.contact.phone_number', 'telefoonnummer', nullify, LEASE_BOUND) },
        iban: {
          readers: TENANT_IBAN, writers: ['tenant', ...staff('RENT_COLLECTION')], searchable: { equals: 'iban' },
          personal: personal('user.financial.bank_account', 'IBAN', nullify, LEASE_BOUND),
        },
        incomeCategory: { readers: TENANT_INCOME, personal: personal('user.financial.income_category', 'inkomenscategorie') },
        householdSize: { readers: TENANT_INCOME, personal: personal('user.demographic.household_size', 'huishoudgrootte') },
        status: {
          // A lease that starts makes the person ACTIVE.
          readers: TENANT_ACCOUNT, writers: staff('CONTRACT'),
          personal: personal('user.account.status', 'status van uw inschrijving', keep('retention needs to know who left; identifies nobody')),
        },
        registeredAt: {
          readers: TENANT_ACCOUNT,
          personal: personal('user.account.registration_date', 'inschrijfdatum', keep('a date alone identifies nobody once the rest is masked')),
        },
        analyticsConsent: {
          // The tenant gives or withdraws it; an erasure withdraws it.
          readers: ['tenant', ...PRIVACY_OFFICER], writers: ['tenant', ...PRIVACY_OFFICER],
          personal: personal('user.privacy_preferences', 'toestemming voor analytische cookies', keep('proof of consent')),
        },
        address: { readers: TENANT_ADDRESS, resolved: true, personal: personal('user.contact.address', 'adres', nullify, LEASE_BOUND) },
        leases: { readers: LEASE, resolved: true },
        workOrders: { readers: ['tenant', ...staff('REPAIRS', 'PRIVACY')], resolved: true },
        invoices: { readers: FINANCE, resolved: true },
        arrearsCases: { readers: FINANCE, resolved: true },
        nuisanceCases: { readers: NUISANCE, resolved: true },
        disclosures: { readers: ['tenant', ...PRIVACY_OFFICER], resolved: true },
      },
      stored: {
        restricted: { writers: PRIVACY_OFFICER, why: 'art. 18: set when the privacy officer carries out a restriction request; the row scopes read it' },
        anonymizedAt: { writers: PRIVACY_OFFICER, jobs: ['retention'], why: 'when an erasure or retention anonymised the tenant; retention skips them' },
        deregisteredAt: { writers: staff('CONTRACT'), why: 'when the last lease ended (FORMER); retention counts its year from it. Cleared when the person signs a new lease' },
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
        address: {
          readers: ['tenant', ...ALL_STAFF, 'contractor', 'builder'], resolved: true,
          personal: personal('user.contact.address', 'adres van de woning', keep("the corporation's own property; personal only through a lease")),
        },
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
        startDate: { readers: LEASE, writers: staff('CONTRACT'), personal: personal('user.contract.start_date', 'ingangsdatum van het huurcontract', keep('fiscal record')) },
        endDate: { readers: LEASE, writers: staff('CONTRACT'), personal: personal('user.contract.end_date', 'einddatum van het huurcontract', keep('fiscal record')) },
        // POLICY.md: the rent is for the contract, collection and arrears, not for every purpose.
        monthlyRent: {
          readers: ['tenant', ...staff('CONTRACT', 'RENT_COLLECTION', 'ARREARS', 'PRIVACY'), 'bailiff'], writers: staff('CONTRACT'),
          personal: personal('user.financial.rent', 'maandhuur', keep('fiscal record')),
        },
        dwelling: { readers: LEASE, writers: staff('CONTRACT'), resolved: true, foreignKey: 'dwellingId' },
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
          personal: personal('user.content.repair_request', 'omschrijving van uw reparatieverzoek', { strategy: 'fixed', value: '[verwijderd]' }),
        },
        dwelling: { readers: WORK_ORDER, writers: ['tenant'], resolved: true, foreignKey: 'dwellingId' },
        tenant: { readers: [...staff('REPAIRS', 'PRIVACY'), 'contractor'], resolved: true },
        contractor: { readers: WORK_ORDER, writers: staff('REPAIRS'), resolved: true, foreignKey: 'contractorId' },
      },
    },

    Organization: {
      table: 'organization',
      scopes: {
        tenant: EVERY_ROW, staff: EVERY_ROW, contractor: EVERY_ROW, builder: EVERY_ROW, bailiff: EVERY_ROW,
      },
      fields: same({ readers: SIGNED_IN }, 'id', 'name', 'kind'),
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
        amountDue: { readers: ARREARS, personal: personal('user.financial.debt', 'openstaand bedrag', keep('fiscal record')) },
        bailiff: { readers: staff('RENT_COLLECTION', 'ARREARS', 'PRIVACY'), writers: staff('ARREARS'), resolved: true, foreignKey: 'bailiffId' },
        tenant: { readers: [...staff('RENT_COLLECTION', 'ARREARS', 'PRIVACY'), 'bailiff'], resolved: true },
        lease: { readers: [...staff('RENT_COLLECTION', 'ARREARS', 'PRIVACY'), 'bailiff'], resolved: true },
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
          personal: personal('user.behavior.nuisance', 'omschrijving van de overlastmelding', { strategy: 'fixed', value: '[verwijderd]' }, LEASE_BOUND),
        },
        // The reporter is another person: never shown to the tenant the case is about.
        reportedBy: { readers: staff('NUISANCE', 'PRIVACY'), resolved: true },
      },
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
        amount: { readers: FINANCE, personal: personal('user.financial.invoice', 'factuurbedrag', keep('fiscal retention, 7 years')) },
      },
    },

    Disclosure: {
      table: 'disclosure',
      subjectColumn: 'tenant_id',
      keys: ['tenantId'],
      scopes: {
        // A withheld disclosure (legal reason) is not the tenant's to see.
        tenant: { where: and(eq(col('disclosure.tenant_id'), CALLER_TENANT), not(isTrue(col('disclosure.withheld')))) },
        staff: EVERY_ROW,
      },
      fields: {
        ...same({ readers: ['tenant', ...PRIVACY_OFFICER] }, 'id', 'disclosedAt'),
        // Recorded by whoever hands the data over: an assignment, a hand-over, a legal disclosure.
        ...same({ readers: ['tenant', ...PRIVACY_OFFICER], writers: DISCLOSING }, 'recipientKind', 'recipientName', 'purpose', 'fields'),
        ...same({ readers: PRIVACY_OFFICER, writers: PRIVACY_OFFICER }, 'withheld', 'withheldReason'),
      },
      stored: { recipientOrgId: { writers: DISCLOSING, why: 'the organisation that received the data, for the register' } },
    },

    Notification: {
      table: 'notification',
      subjectColumn: 'tenant_id',
      scopes: { tenant: { where: eq(col('notification.tenant_id'), CALLER_TENANT) } },
      fields: {
        ...same({ readers: ['tenant'] }, 'id', 'createdAt', 'readAt'),
        // Put in the inbox as a consequence of a staff action: a hand-over, a legal disclosure, a resolved request, a new statement.
        kind: { readers: ['tenant'], writers: NOTIFYING },
        // Text about the tenant (a hand-over names the bailiff and what was disclosed): personal, audited when read.
        message: {
          readers: ['tenant'], writers: NOTIFYING,
          personal: personal('user.content.notification', 'bericht in uw inbox', { strategy: 'fixed', value: '[verwijderd]' }),
        },
      },
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
        status: { readers: ['tenant', ...PRIVACY_OFFICER], writers: ['tenant', ...PRIVACY_OFFICER] },
        ...same({ readers: ['tenant', ...PRIVACY_OFFICER], writers: PRIVACY_OFFICER }, 'resolvedAt', 'outcome'),
        tenant: { readers: PRIVACY_OFFICER, resolved: true },
      },
    },

    AuditEvent: {
      table: 'audit_event',
      keys: ['orgId'],
      scopes: {
        tenant: { where: arrayHas(col('audit_event.tenant_ids'), CALLER_TENANT) },
        staff: EVERY_ROW,
      },
      fields: {
        ...same({ readers: ['tenant', ...PRIVACY_OFFICER] }, 'at', 'role', 'purpose', 'operation', 'fields'),
        // The organisation that read (which contractor, which bailiff): "who looked at me" names it.
        organization: { readers: ['tenant', ...PRIVACY_OFFICER], resolved: true },
        // Which employee looked is the employee's own personal data: the privacy officer's to see.
        ...same({ readers: PRIVACY_OFFICER }, 'id', 'actorSub', 'orgId', 'tenantIds', 'hash'),
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
        ...same({ readers: PRIVACY_OFFICER }, 'dataSubjectRequests', 'auditLog', 'auditLogExport'),
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
        ...same({ readers: staff('CONTRACT') }, 'changeLease', 'startLease'),
        updateWorkOrderStatus: { readers: ['contractor'] },
        handArrearsToBailiff: { readers: staff('ARREARS') },
        ...same({ readers: PRIVACY_OFFICER }, 'recordLegalDisclosure', 'resolveDataSubjectRequest', 'publishPrivacyStatement'),
      },
    },
  },
} as const satisfies PrivacyPolicy;
