/** Rows as the tables of the InitialSchema migration take them (timestamps as ISO strings, dates as YYYY-MM-DD). */
import type { Rng } from './random';

export interface OrganizationRow { id: string; name: string; kind: 'CONTRACTOR' | 'BUILDER' | 'BAILIFF' | 'AUTHORITY'; created_at: string }
export interface DwellingRow { id: string; street: string; house_number: string; postal_code: string; city: string }
export interface TenantRow {
  id: string; first_name: string; last_name: string; date_of_birth: string; email: string; phone: string; iban: string;
  income_category: 'BELOW_THRESHOLD' | 'ABOVE_THRESHOLD'; household_size: number;
  status: 'HOME_SEEKER' | 'ACTIVE' | 'FORMER'; registered_at: string; deregistered_at: string | null;
  /** Not a column: whether seedConsents gives the person a consent record. */
  analytics_consent: boolean;
}
export interface ConsentRecordRow { id: string; tenant_id: string; kind: 'ANALYTICS_COOKIES'; given_at: string; statement_version: number | null; withdrawn_at: string | null }
export interface LeaseRow { id: string; tenant_id: string; dwelling_id: string; start_date: string; end_date: string | null; monthly_rent: number }
export interface WorkOrderRow {
  id: string; tenant_id: string; dwelling_id: string; contractor_id: string | null; description: string; status: string;
  created_at: string; scheduled_for: string | null; completed_at: string | null;
}
export interface RenovationProjectRow { id: string; builder_id: string; name: string; starts_on: string; ends_on: string }
export interface ProjectDwellingRow { project_id: string; dwelling_id: string }
export interface ArrearsCaseRow {
  id: string; tenant_id: string; lease_id: string; amount_due: number; since: string; status: string;
  handed_over_at: string | null; bailiff_id: string | null;
}
export interface NuisanceCaseRow { id: string; tenant_id: string; reported_by_id: string; description: string; status: string; created_at: string }
export interface InvoiceRow { id: string; tenant_id: string; lease_id: string; period: string; amount: number; status: 'OPEN' | 'PAID'; paid_at: string | null }
export interface DisclosureRow {
  id: string; tenant_id: string; recipient_kind: string; recipient_org_id: string | null; recipient_name: string;
  purpose: string; fields: string; disclosed_at: string; withheld: boolean; withheld_reason: string | null;
}
export interface NotificationRow { id: string; tenant_id: string; kind: string; message: string; created_at: string; read_at: string | null }
export interface DataSubjectRequestRow {
  id: string; tenant_id: string; kind: string; status: string; received_at: string; resolved_at: string | null; outcome: string | null;
}
export interface PrivacyStatementRow { version: number; published_at: string; significant: boolean; text: string }

export interface SeedData {
  organization: OrganizationRow[];
  dwelling: DwellingRow[];
  tenant: TenantRow[];
  consent_record: ConsentRecordRow[];
  lease: LeaseRow[];
  work_order: WorkOrderRow[];
  renovation_project: RenovationProjectRow[];
  renovation_project_dwelling: ProjectDwellingRow[];
  arrears_case: ArrearsCaseRow[];
  nuisance_case: NuisanceCaseRow[];
  invoice: InvoiceRow[];
  disclosure: DisclosureRow[];
  notification: NotificationRow[];
  data_subject_request: DataSubjectRequestRow[];
  privacy_statement_version: PrivacyStatementRow[];
}

export interface Dwelling { row: DwellingRow; complex: number; /** no lease on it before this moment (ms) */ freeBefore: number }
export interface Contractor { row: OrganizationRow; trade: string }

/** A tenant with the lease that defines the status: running for ACTIVE, last one for FORMER. */
export interface Resident {
  tenant: TenantRow;
  dobMs: number;
  lease: LeaseRow;
  leaseStartMs: number;
  dwelling: Dwelling;
}

export interface SeedContext {
  rng: Rng;
  /** The reference moment; every timestamp is before it. */
  now: number;
  /** UTC midnight of `now`. */
  today: number;
  data: SeedData;
  contractors: Contractor[];
  builders: OrganizationRow[];
  bailiffs: OrganizationRow[];
  /** Public authorities by name: the recipients of legal-obligation disclosures. */
  authorities: Map<string, OrganizationRow>;
  dwellings: Dwelling[];
  /** Dwelling indexes per complex (a street of the corporation). */
  complexes: number[][];
  homeSeekers: TenantRow[];
  active: Resident[];
  former: Resident[];
}

export function emptySeedData(): SeedData {
  return {
    organization: [], dwelling: [], tenant: [], consent_record: [], lease: [], work_order: [], renovation_project: [],
    renovation_project_dwelling: [], arrears_case: [], nuisance_case: [], invoice: [], disclosure: [],
    notification: [], data_subject_request: [], privacy_statement_version: [],
  };
}
