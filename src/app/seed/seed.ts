import type { DataSource } from 'typeorm';
import { seedArrears, seedNuisance } from './cases';
import { seedDwellings, seedOrganizations } from './housing';
import { type ColumnSpec, type Query, insertRows } from './insert';
import { seedInvoices } from './invoices';
import { type SeedContext, type SeedData, emptySeedData } from './model';
import { seedAuthorityDisclosures, seedDataSubjectRequests, seedPrivacyStatement, seedConsents } from './privacy';
import { seedProjects } from './projects';
import { Rng, startOfDay } from './random';
import { seedTenants } from './tenants';
import { seedWorkOrders } from './work-orders';

export interface SeedOptions {
  /** Same seed (and `today`), same data; only the uuids differ. */
  seed?: number;
  /** Tenants in each of HOME_SEEKER, ACTIVE and FORMER. */
  tenantsPerStatus?: number;
  /** The reference moment: all generated history lies before it. */
  today?: Date;
}

export const DEFAULT_SEED = 20261123;
export const DEFAULT_TENANTS_PER_STATUS = 200;

/** Builds the synthetic demo data set in memory; no personal data of real people is involved. */
export function generateDemoData(options: SeedOptions = {}): SeedData {
  const seed = options.seed ?? DEFAULT_SEED;
  const perStatus = options.tenantsPerStatus ?? DEFAULT_TENANTS_PER_STATUS;
  if (!Number.isInteger(perStatus) || perStatus < 0) throw new RangeError('tenantsPerStatus must be a non-negative integer');
  const now = (options.today ?? new Date()).getTime();
  if (Number.isNaN(now)) throw new RangeError('today must be a valid date');
  const ctx: SeedContext = {
    rng: new Rng(seed), now, today: startOfDay(now), data: emptySeedData(),
    contractors: [], builders: [], bailiffs: [], authorities: new Map(), dwellings: [], complexes: [], homeSeekers: [], active: [], former: [],
  };
  const oldInvoiceYear = new Date(now).getUTCFullYear() - 9;

  seedOrganizations(ctx);
  seedDwellings(ctx, 2 * perStatus + Math.max(3, Math.ceil(0.2 * perStatus)));
  const oldInvoices = seedTenants(ctx, perStatus, oldInvoiceYear);
  seedWorkOrders(ctx);
  seedProjects(ctx);
  const inArrears = seedArrears(ctx);
  seedNuisance(ctx);
  seedInvoices(ctx, inArrears, oldInvoices, oldInvoiceYear);
  seedAuthorityDisclosures(ctx);
  seedDataSubjectRequests(ctx);
  seedPrivacyStatement(ctx);
  seedConsents(ctx);
  return ctx.data;
}

type Specs = { [T in keyof SeedData]: ColumnSpec<SeedData[T][number]>[] };
const SPECS: Specs = {
  organization: [{ name: 'id', type: 'uuid' }, { name: 'name', type: 'text' }, { name: 'kind', type: 'text' }, { name: 'created_at', type: 'timestamptz' }],
  dwelling: [
    { name: 'id', type: 'uuid' }, { name: 'street', type: 'text' }, { name: 'house_number', type: 'text' },
    { name: 'postal_code', type: 'text' }, { name: 'city', type: 'text' },
  ],
  tenant: [
    { name: 'id', type: 'uuid' }, { name: 'first_name', type: 'text' }, { name: 'last_name', type: 'text' },
    { name: 'date_of_birth', type: 'date' }, { name: 'email', type: 'text' }, { name: 'phone', type: 'text' },
    { name: 'iban', type: 'text' }, { name: 'income_category', type: 'text' }, { name: 'household_size', type: 'int' },
    { name: 'status', type: 'text' }, { name: 'registered_at', type: 'timestamptz' }, { name: 'deregistered_at', type: 'timestamptz' },
  ],
  consent_record: [
    { name: 'id', type: 'uuid' }, { name: 'tenant_id', type: 'uuid' }, { name: 'kind', type: 'text' }, { name: 'given_at', type: 'timestamptz' },
    { name: 'statement_version', type: 'int' }, { name: 'withdrawn_at', type: 'timestamptz' },
  ],
  lease: [
    { name: 'id', type: 'uuid' }, { name: 'tenant_id', type: 'uuid' }, { name: 'dwelling_id', type: 'uuid' },
    { name: 'start_date', type: 'date' }, { name: 'end_date', type: 'date' }, { name: 'monthly_rent', type: 'numeric' },
  ],
  work_order: [
    { name: 'id', type: 'uuid' }, { name: 'tenant_id', type: 'uuid' }, { name: 'dwelling_id', type: 'uuid' },
    { name: 'contractor_id', type: 'uuid' }, { name: 'description', type: 'text' }, { name: 'status', type: 'text' },
    { name: 'created_at', type: 'timestamptz' }, { name: 'scheduled_for', type: 'date' }, { name: 'completed_at', type: 'timestamptz' },
  ],
  renovation_project: [
    { name: 'id', type: 'uuid' }, { name: 'builder_id', type: 'uuid' }, { name: 'name', type: 'text' },
    { name: 'starts_on', type: 'date' }, { name: 'ends_on', type: 'date' },
  ],
  renovation_project_dwelling: [{ name: 'project_id', type: 'uuid' }, { name: 'dwelling_id', type: 'uuid' }],
  arrears_case: [
    { name: 'id', type: 'uuid' }, { name: 'tenant_id', type: 'uuid' }, { name: 'lease_id', type: 'uuid' },
    { name: 'amount_due', type: 'numeric' }, { name: 'since', type: 'date' }, { name: 'status', type: 'text' },
    { name: 'handed_over_at', type: 'timestamptz' }, { name: 'bailiff_id', type: 'uuid' },
  ],
  nuisance_case: [
    { name: 'id', type: 'uuid' }, { name: 'tenant_id', type: 'uuid' }, { name: 'reported_by_id', type: 'uuid' },
    { name: 'description', type: 'text' }, { name: 'status', type: 'text' }, { name: 'created_at', type: 'timestamptz' },
  ],
  invoice: [
    { name: 'id', type: 'uuid' }, { name: 'tenant_id', type: 'uuid' }, { name: 'lease_id', type: 'uuid' },
    { name: 'period', type: 'text' }, { name: 'amount', type: 'numeric' }, { name: 'status', type: 'text' },
    { name: 'paid_at', type: 'timestamptz' },
  ],
  disclosure: [
    { name: 'id', type: 'uuid' }, { name: 'tenant_id', type: 'uuid' }, { name: 'recipient_kind', type: 'text' },
    { name: 'recipient_org_id', type: 'uuid' }, { name: 'recipient_name', type: 'text' }, { name: 'purpose', type: 'text' },
    // text[] cannot be unnested as one element per row, so the fields travel joined by '|'
    { name: 'fields', type: 'text', select: `string_to_array(t."fields", '|')` },
    { name: 'disclosed_at', type: 'timestamptz' }, { name: 'withheld', type: 'boolean' }, { name: 'withheld_reason', type: 'text' },
  ],
  notification: [
    { name: 'id', type: 'uuid' }, { name: 'tenant_id', type: 'uuid' }, { name: 'kind', type: 'text' },
    { name: 'message', type: 'text' }, { name: 'created_at', type: 'timestamptz' }, { name: 'read_at', type: 'timestamptz' },
  ],
  data_subject_request: [
    { name: 'id', type: 'uuid' }, { name: 'tenant_id', type: 'uuid' }, { name: 'kind', type: 'text' }, { name: 'status', type: 'text' },
    { name: 'received_at', type: 'timestamptz' }, { name: 'resolved_at', type: 'timestamptz' }, { name: 'outcome', type: 'text' },
  ],
  privacy_statement_version: [
    { name: 'version', type: 'int' }, { name: 'published_at', type: 'timestamptz' }, { name: 'significant', type: 'boolean' },
    { name: 'text', type: 'text' },
  ],
};
const COMPUTED: Partial<Record<keyof SeedData, Record<string, string>>> = {
  data_subject_request: { due_at: `t."received_at" + interval '1 month'` },
};

/** The tables in foreign-key order, plus audit_event (never seeded) for the counts. */
const TABLES = [...(Object.keys(SPECS) as (keyof SeedData)[]), 'audit_event'] as const;

/**
 * Fills an empty database with synthetic Dutch demo data, in one transaction with a few set-based
 * statements per table. Returns the row count of every table afterwards.
 */
export async function seedDemoData(dataSource: DataSource, options: SeedOptions = {}): Promise<Record<string, number>> {
  const data = generateDemoData(options);
  return dataSource.transaction(async (manager) => {
    const query: Query = (sql, params) => manager.query(sql, params);
    for (const table of Object.keys(SPECS) as (keyof SeedData)[]) {
      await insertRows(query, table, SPECS[table] as ColumnSpec<object>[], data[table], COMPUTED[table]);
    }
    const [counts] = (await manager.query(
      `SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t})::int AS "${t}"`).join(', ')}`,
    )) as Record<string, number>[];
    return counts;
  });
}
