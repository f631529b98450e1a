/**
 * Rows a test creates for itself, so that tests running in parallel on the one seeded database
 * never change each other's rows. Ids start with `ffff`: fixtures picked `ORDER BY id` never land
 * on them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dutchIban } from '../../src/platform/values/iban';
import { disclosedFields, Recipient } from '../../src/privacy/policy/disclosed-fields';

export function ownId(): string {
  return `ffff${randomUUID().slice(4)}`;
}

function digits(n: number): string {
  return [...randomBytes(n)].map((b) => String(b % 10)).join('');
}

/** Contact details no seeded tenant has. */
export function uniqueContact() {
  return {
    email: `t-${randomBytes(6).toString('hex')}@voorbeeld.test`,
    phone: `+3197${digits(7)}`,
    iban: dutchIban('TEST', digits(10)),
  };
}

export interface OwnTenant {
  tenantId: string;
  leaseId?: string;
  dwellingId?: string;
  email: string;
  phone: string;
  iban: string;
}

/**
 * A tenant of this test's own. `lease`: a running one (default), one that ended, or none.
 */
export async function createTenant(
  ds: DataSource,
  opts: { lease?: 'running' | 'ended' | 'none'; status?: 'ACTIVE' | 'HOME_SEEKER' | 'FORMER' } = {},
): Promise<OwnTenant> {
  const lease = opts.lease ?? 'running';
  const status = opts.status ?? (lease === 'running' ? 'ACTIVE' : 'HOME_SEEKER');
  const tenantId = ownId();
  const contact = uniqueContact();
  await ds.query(
    `INSERT INTO tenant (id, first_name, last_name, date_of_birth, email, phone, iban, income_category, household_size,
       status, deregistered_at)
     VALUES ($1, 'Testa', 'Mutatie', '1980-02-03', $2, $3, $4, 'BELOW_THRESHOLD', 2, $5, $6)`,
    [tenantId, contact.email, contact.phone, contact.iban, status, status === 'FORMER' ? new Date() : null],
  );
  // Consent to analytics cookies, given under the statement version in force.
  await ds.query(
    `INSERT INTO consent_record (tenant_id, kind, statement_version) SELECT $1, 'ANALYTICS_COOKIES', max(version) FROM privacy_statement_version`,
    [tenantId],
  );
  const result: OwnTenant = { tenantId, ...contact };
  if (lease !== 'none') {
    const dwellingId = ownId();
    await ds.query(
      `INSERT INTO dwelling (id, street, house_number, postal_code, city) VALUES ($1, 'Proefstraat', $2, '9999 ZZ', 'Teststad')`,
      [dwellingId, String(1 + (randomBytes(2).readUInt16BE() % 999))],
    );
    const leaseId = ownId();
    await ds.query(
      `INSERT INTO lease (id, tenant_id, dwelling_id, start_date, end_date, monthly_rent) VALUES ($1, $2, $3, $4, $5, 750.50)`,
      [leaseId, tenantId, dwellingId, lease === 'running' ? '2020-01-01' : '2015-01-01', lease === 'running' ? null : '2019-12-31'],
    );
    Object.assign(result, { leaseId, dwellingId });
  }
  return result;
}

export async function createWorkOrder(
  ds: DataSource, t: OwnTenant, status: string, contractorId: string | null = null,
): Promise<string> {
  const id = ownId();
  await ds.query(
    `INSERT INTO work_order (id, tenant_id, dwelling_id, contractor_id, description, status, completed_at)
     VALUES ($1, $2, $3, $4, 'Lekkende kraan in de keuken', $5, $6)`,
    [id, t.tenantId, t.dwellingId, contractorId, status, status === 'DONE' ? new Date() : null],
  );
  if (contractorId) await recordOwnDisclosure(ds, t.tenantId, 'contractor', contractorId, 'REPAIRS');
  return id;
}

/** The disclosure the product records when a row is handed to an organisation (assignment, hand-over): test rows stay consistent with it. */
async function recordOwnDisclosure(ds: DataSource, tenantId: string, recipient: Recipient, orgId: string, purpose: string): Promise<void> {
  await ds.query(
    `INSERT INTO disclosure (tenant_id, recipient_kind, recipient_org_id, recipient_name, purpose, fields)
     SELECT $1, o.kind, o.id, o.name, $3, $4 FROM organization o WHERE o.id = $2`,
    [tenantId, orgId, purpose, disclosedFields(recipient)],
  );
}

export async function createArrearsCase(ds: DataSource, t: OwnTenant, status: string, bailiffId: string | null = null): Promise<string> {
  const id = ownId();
  await ds.query(
    `INSERT INTO arrears_case (id, tenant_id, lease_id, amount_due, since, status, handed_over_at, bailiff_id)
     VALUES ($1, $2, $3, 1234.56, '2024-03-01', $4, $5, $6)`,
    [id, t.tenantId, t.leaseId, status, bailiffId ? new Date() : null, bailiffId],
  );
  if (bailiffId) await recordOwnDisclosure(ds, t.tenantId, 'bailiff', bailiffId, 'ARREARS');
  return id;
}

export async function createInvoice(ds: DataSource, t: OwnTenant, status: 'OPEN' | 'PAID', amount = 750.5): Promise<string> {
  const id = ownId();
  await ds.query(
    `INSERT INTO invoice (id, tenant_id, lease_id, period, amount, status, paid_at) VALUES ($1, $2, $3, '2025-06', $4, $5, $6)`,
    [id, t.tenantId, t.leaseId ?? null, amount, status, status === 'PAID' ? new Date() : null],
  );
  return id;
}

export async function createRequest(ds: DataSource, tenantId: string, kind: string, status = 'RECEIVED'): Promise<string> {
  const id = ownId();
  const resolved = status === 'RESOLVED' || status === 'REFUSED';
  await ds.query(
    `INSERT INTO data_subject_request (id, tenant_id, kind, status, received_at, due_at, resolved_at, outcome)
     VALUES ($1, $2, $3, $4, now() - interval '2 days', now() - interval '2 days' + interval '1 month', $5, $6)`,
    [id, tenantId, kind, status, resolved ? new Date() : null, resolved ? 'done' : null],
  );
  return id;
}

/** An organisation of a kind; `nth` picks a different one per test file. */
export async function organization(ds: DataSource, kind: 'CONTRACTOR' | 'BUILDER' | 'BAILIFF', nth = 0): Promise<{ id: string; name: string }> {
  const rows = await ds.query(`SELECT id, name FROM organization WHERE kind = $1 ORDER BY name DESC`, [kind]);
  if (!rows.length) throw new Error(`no ${kind} in the seeded data`);
  return rows[nth % rows.length];
}

export async function one<T = any>(ds: DataSource, sql: string, params: unknown[] = []): Promise<T | undefined> {
  const rows = await ds.query(sql, params);
  return rows[0];
}
