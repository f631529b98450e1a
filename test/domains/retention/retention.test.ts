/** POLICY.md "Retention", on a seeded database of its own, with an injected clock. */
import { runRetention } from '../../../src/domains/retention/retention';
import { openScratchDatabase, ScratchDatabase } from '../../support/scratch-db';

const TODAY = new Date('2026-06-15T12:00:00Z');
let db: ScratchDatabase;

beforeAll(async () => {
  db = await openScratchDatabase({ today: TODAY, tenantsPerStatus: 60 });
});
afterAll(() => db?.close());

const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);

test('anonymises tenants who left over a year ago, deletes invoices past fiscal retention, and is idempotent', async () => {
  const due = await q(`SELECT id, last_name FROM tenant WHERE status = 'FORMER' AND deregistered_at < '2025-06-15T12:00:00Z'`);
  const recent = await q(`SELECT id, first_name, last_name, email, phone, iban FROM tenant WHERE status = 'FORMER' AND deregistered_at >= '2025-06-15T12:00:00Z'`);
  const active = await q(`SELECT id, email FROM tenant WHERE status = 'ACTIVE' ORDER BY id LIMIT 5`);
  const [{ n: oldInvoices }] = await q(`SELECT count(*)::int AS n FROM invoice WHERE substr(period, 1, 4)::int <= 2018`);
  const [{ n: keptInvoices }] = await q(`SELECT count(*)::int AS n FROM invoice WHERE substr(period, 1, 4)::int > 2018`);
  expect(due.length).toBeGreaterThan(0);
  expect(recent.length).toBeGreaterThan(0);
  expect(oldInvoices).toBeGreaterThan(0);
  const consentsInForce = async () => (await q(`SELECT count(*)::int AS n FROM consent_record WHERE tenant_id = ANY($1::uuid[]) AND withdrawn_at IS NULL`, [due.map((d: any) => d.id)]))[0].n;
  expect(await consentsInForce()).toBeGreaterThan(0);

  const dry: string[] = [];
  const preview = await runRetention(db.dataSource, { now: TODAY, dryRun: true, log: (l) => dry.push(l) });
  expect(preview).toMatchObject({ dryRun: true, tenantsAnonymised: due.length, invoicesDeleted: oldInvoices });
  expect(dry.join('\n')).toMatch(/dry run/);
  const [{ n: untouched }] = await q(`SELECT count(*)::int AS n FROM tenant WHERE anonymized_at IS NOT NULL`);
  expect(untouched).toBe(0);

  const lines: string[] = [];
  const summary = await runRetention(db.dataSource, { now: TODAY, batchSize: 7, log: (l) => lines.push(l) });
  expect(summary).toMatchObject({ tenantsAnonymised: due.length, invoicesDeleted: oldInvoices });
  expect(lines.some((l) => /^tenants anonymised: \d+\/\d+$/.test(l))).toBe(true);
  expect(lines[lines.length - 1]).toMatch(/retention done/);

  const after = await q(`SELECT id, first_name, last_name, email, phone, iban, date_of_birth, anonymized_at FROM tenant WHERE id = ANY($1::uuid[])`, [due.map((d: any) => d.id)]);
  for (const t of after) {
    expect(t).toMatchObject({ first_name: 'Anoniem', email: null, phone: null, iban: null, date_of_birth: null });
    // Fixed text, derived from nothing: the same surname does not give the same value (no pseudonym).
    expect(t.last_name).toBe('Geanonimiseerd');
    expect(t.anonymized_at).toEqual(TODAY);
  }
  // An anonymised person's consent is withdrawn; the record of when it was given stays.
  expect(await consentsInForce()).toBe(0);
  const [{ n: linked }] = await q(`SELECT count(*)::int AS n FROM lease WHERE tenant_id = ANY($1::uuid[]) AND dwelling_id IS NOT NULL`, [due.map((d: any) => d.id)]);
  expect(linked).toBe(0);
  const stillRecent = await q(`SELECT id, first_name, last_name, email, phone, iban FROM tenant WHERE id = ANY($1::uuid[]) ORDER BY id`, [recent.map((r: any) => r.id)]);
  expect(stillRecent).toEqual([...recent].sort((a: any, b: any) => a.id.localeCompare(b.id)));
  expect(await q(`SELECT id, email FROM tenant WHERE id = ANY($1::uuid[]) ORDER BY id LIMIT 5`, [active.map((a: any) => a.id)])).toEqual(active);
  const [{ n: leftOld }] = await q(`SELECT count(*)::int AS n FROM invoice WHERE substr(period, 1, 4)::int <= 2018`);
  const [{ n: leftKept }] = await q(`SELECT count(*)::int AS n FROM invoice WHERE substr(period, 1, 4)::int > 2018`);
  expect(leftOld).toBe(0);
  expect(leftKept).toBe(keptInvoices);

  const again = await runRetention(db.dataSource, { now: TODAY });
  expect(again).toMatchObject({ tenantsAnonymised: 0, invoicesDeleted: 0, batches: 0 });
});

test('a batch interrupted midway leaves nothing half done', async () => {
  const later = new Date('2027-03-01T00:00:00Z');
  const due = await q(`SELECT count(*)::int AS n FROM tenant WHERE status = 'FORMER' AND anonymized_at IS NULL AND deregistered_at < '2026-03-01'`);
  expect(due[0].n).toBeGreaterThan(0);
  // The database fails the anonymised-at update of the first batch: its masking must roll back too.
  await q(`CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
             IF NEW.anonymized_at IS NOT NULL AND OLD.anonymized_at IS NULL THEN RAISE EXCEPTION 'injected fault'; END IF;
             RETURN NEW; END $$`);
  await q(`CREATE TRIGGER fail_once BEFORE UPDATE ON tenant FOR EACH ROW EXECUTE FUNCTION fail_once()`);
  try {
    await expect(runRetention(db.dataSource, { now: later, batchSize: 5 })).rejects.toThrow(/injected fault/);
  } finally {
    await q('DROP TRIGGER fail_once ON tenant');
    await q('DROP FUNCTION fail_once()');
  }
  const [{ n: halfDone }] = await q(`SELECT count(*)::int AS n FROM tenant WHERE first_name = 'Anoniem' AND anonymized_at IS NULL`);
  expect(halfDone).toBe(0);
  const resumed = await runRetention(db.dataSource, { now: later, batchSize: 5 });
  expect(resumed.tenantsAnonymised).toBe(due[0].n);
});
