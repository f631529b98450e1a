/** POLICY.md "Retention": every table that holds personal data declares its period, from the policy itself. */
import { compiled } from '../../src/privacy/policy/compiled';
import { retentionRules } from '../../src/privacy/policy/retention';
import { policy } from '../../src/privacy/policy/policy';

/** A table holds personal data when a field of it is personal, or its rows are about a person (subject column, index or relation). */
const holdsPersonalData = compiled.tables.filter((t) => t.personal.length > 0 || t.subjectColumn || t.subjectIndex || t.subjectsThrough);

test('every table holding personal data declares a retention (period, clock, action)', () => {
  expect(holdsPersonalData.length).toBeGreaterThan(8);
  expect(holdsPersonalData.filter((t) => !t.rule.retention).map((t) => t.name)).toEqual([]);
});

test("rows that go with the person share the person's period, and deletions count from a date of the row", () => {
  const person = policy.types.Tenant.retention.period;
  for (const t of compiled.tables) {
    const r = t.rule.retention;
    if (r?.clock.kind === 'subject') expect([t.name, r.period]).toEqual([t.name, person]);
    if (r?.action === 'delete') expect([t.name, r.clock.kind]).not.toEqual([t.name, 'subject']);
  }
});

test('fiscal data is deleted at its date: invoices, leases and arrears cases, seven years after their fiscal year', () => {
  for (const type of ['Invoice', 'Lease', 'ArrearsCase']) {
    expect(compiled.tableOf.get(type)!.rule.retention).toMatchObject({ action: 'delete', clock: { kind: 'fiscalYear' }, period: { years: 7 } });
  }
});

test('the register and the export list a period for each declared table', () => {
  expect(retentionRules().map((r) => r.type).sort()).toEqual(holdsPersonalData.map((t) => t.name).sort());
});
