/** The policy's subjects (whose data a read is audited under) are checked against the tables at start-up. */
import { checkSubject } from '../../src/privacy/read/catalog';
import { compiled } from '../../src/privacy/policy/compiled';
import { TypeRule } from '../../src/privacy/policy/policy-types';
import { startTestApp, TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const declared = (type: string) => compiled.tableOf.get(type)!.rule;
const check = (rule: TypeRule) => () => checkSubject('Probe', rule, t.dataSource);

test('every type of the policy passes', () => {
  for (const rule of compiled.ruled) expect(() => checkSubject(rule.name, rule.rule, t.dataSource)).not.toThrow();
});

test('a subject column that is not in the table is refused', () => {
  expect(check({ ...declared('Invoice'), subjectColumn: 'tennant_id' })).toThrow('Probe: no column tennant_id in invoice');
});

test('subjects through a table, or a column of it, that does not exist are refused', () => {
  const through = declared('Dwelling').subjectsThrough!;
  expect(check({ ...declared('Dwelling'), subjectsThrough: { ...through, table: 'leases' } })).toThrow('no entity for table leases');
  expect(check({ ...declared('Dwelling'), subjectsThrough: { ...through, key: 'dwelling' } })).toThrow('no column dwelling in lease');
  expect(check({ ...declared('Dwelling'), subjectsThrough: { ...through, column: 'tenant' } })).toThrow('no column tenant in lease');
});

test('a type that declares both ways to its subject is refused', () => {
  expect(check({ ...declared('Dwelling'), subjectColumn: 'id' })).toThrow('declares both subjectColumn and subjectsThrough');
});

test('personal fields without a subject are refused; a type without personal fields needs none', () => {
  const { subjectColumn: _, ...withoutSubject } = declared('Invoice');
  expect(check(withoutSubject)).toThrow('personal fields (amount) but no subjectColumn or subjectsThrough');
  const { subjectColumn: __, ...organization } = declared('Organization');
  expect(check(organization)).not.toThrow();
});
