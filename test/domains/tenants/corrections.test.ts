/** POLICY.md "Writes": CONTRACT corrects name and date of birth and changes a lease; RENT_COLLECTION the IBAN. */
import { asStaff, codes, startTestApp, TestApp } from '../../support/app';
import { createTenant } from '../../support/rows';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const CORRECT = 'mutation($id: ID!, $input: TenantCorrectionInput!) { correctTenant(id: $id, input: $input) { id firstName lastName dateOfBirth iban } }';
const CHANGE = 'mutation($id: ID!, $input: LeaseChangeInput!) { changeLease(id: $id, input: $input) { id endDate monthlyRent } }';
const row = async (id: string) => (await t.dataSource.query('SELECT first_name, last_name, date_of_birth, iban FROM tenant WHERE id = $1', [id]))[0];

test('CONTRACT corrects name and date of birth; a recipient reads the correction on its next read', async () => {
  const { tenantId } = await createTenant(t.dataSource);
  const r = await t.gql(CORRECT, { id: tenantId, input: { lastName: 'de Vries-Bakker', dateOfBirth: '1980-02-29' } }, asStaff('CONTRACT'));
  expect(r.errors).toBeUndefined();
  expect(r.data.correctTenant).toMatchObject({ lastName: 'de Vries-Bakker', dateOfBirth: '1980-02-29' });
  expect(await row(tenantId)).toMatchObject({ last_name: 'de Vries-Bakker', date_of_birth: '1980-02-29' });
});

test('RENT_COLLECTION corrects the IBAN but not the name; CONTRACT not the IBAN; REPAIRS nothing', async () => {
  const { tenantId } = await createTenant(t.dataSource);
  const before = await row(tenantId);
  const IBAN_ONLY = 'mutation($id: ID!, $input: TenantCorrectionInput!) { correctTenant(id: $id, input: $input) { id iban } }';
  const iban = await t.gql(IBAN_ONLY, { id: tenantId, input: { iban: 'nl91 abna 0417 1643 00' } }, asStaff('RENT_COLLECTION'));
  expect(iban.errors).toBeUndefined();
  expect((await row(tenantId)).iban).toBe('NL91ABNA0417164300');
  for (const [purpose, input] of [['RENT_COLLECTION', { firstName: 'X' }], ['CONTRACT', { iban: 'NL91ABNA0417164300' }], ['REPAIRS', { firstName: 'X' }]] as const) {
    const r = await t.gql('mutation($id: ID!, $input: TenantCorrectionInput!) { correctTenant(id: $id, input: $input) { id } }', { id: tenantId, input }, asStaff(purpose));
    expect(r.data.correctTenant).toBeNull();
    expect(codes(r)).toEqual(['FORBIDDEN']);
  }
  expect(await row(tenantId)).toEqual({ ...before, iban: 'NL91ABNA0417164300' });
});

test.each([
  [{ dateOfBirth: '2030-01-01' }, 'dateOfBirth'],
  [{ firstName: '   ' }, 'firstName'],
  [{ lastName: 'x'.repeat(101) }, 'lastName'],
  [{}, 'input'],
])('bad input %j is BAD_USER_INPUT naming %s, and nothing is stored', async (input, field) => {
  const { tenantId } = await createTenant(t.dataSource);
  const before = await row(tenantId);
  const r = await t.gql(CORRECT, { id: tenantId, input }, asStaff('CONTRACT'));
  expect(codes(r)).toEqual(['BAD_USER_INPUT']);
  expect(r.errors![0].extensions!.field).toBe(field);
  expect(await row(tenantId)).toEqual(before);
});

test('a date that does not exist is refused by the date scalar as BAD_USER_INPUT', async () => {
  const { tenantId } = await createTenant(t.dataSource);
  const r = await t.gql(CORRECT, { id: tenantId, input: { dateOfBirth: '1980-02-30' } }, asStaff('CONTRACT'));
  expect(codes(r)).toEqual(['BAD_USER_INPUT']);
  expect((await row(tenantId)).date_of_birth).toBe('1980-02-03');
});

test('an iban that fails its checksum is BAD_USER_INPUT', async () => {
  const { tenantId } = await createTenant(t.dataSource);
  const r = await t.gql(CORRECT, { id: tenantId, input: { iban: 'NL92ABNA0417164300' } }, asStaff('RENT_COLLECTION'));
  expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'iban' });
});

test("an iban another tenant holds is refused exactly as an invalid one, never a 500, and nothing is stored", async () => {
  const { tenantId } = await createTenant(t.dataSource);
  const other = await createTenant(t.dataSource);
  const before = await row(tenantId);
  const taken = await t.gql(CORRECT, { id: tenantId, input: { iban: other.iban } }, asStaff('RENT_COLLECTION'));
  const invalid = await t.gql(CORRECT, { id: tenantId, input: { iban: 'NL92ABNA0417164300' } }, asStaff('RENT_COLLECTION'));
  expect(codes(taken)).toEqual(['BAD_USER_INPUT']);
  expect({ status: taken.status, data: taken.data, errors: taken.errors }).toEqual({ status: invalid.status, data: invalid.data, errors: invalid.errors });
  expect(await row(tenantId)).toEqual(before);
});

test('CONTRACT changes a lease; an end before its start is refused; other purposes may not', async () => {
  const { tenantId } = await createTenant(t.dataSource);
  const [lease] = await t.dataSource.query('SELECT id, start_date FROM lease WHERE tenant_id = $1', [tenantId]);
  const ok = await t.gql(CHANGE, { id: lease.id, input: { monthlyRent: 712.5, endDate: '2031-12-31' } }, asStaff('CONTRACT'));
  expect(ok.errors).toBeUndefined();
  expect(ok.data.changeLease).toMatchObject({ monthlyRent: 712.5, endDate: '2031-12-31' });
  const early = await t.gql(CHANGE, { id: lease.id, input: { endDate: '1999-01-01' } }, asStaff('CONTRACT'));
  expect(early.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'endDate' });
  const other = await t.gql(CHANGE, { id: lease.id, input: { monthlyRent: 1 } }, asStaff('RENT_COLLECTION'));
  expect(codes(other)).toEqual(['FORBIDDEN']);
  const [after] = await t.dataSource.query('SELECT monthly_rent, end_date FROM lease WHERE id = $1', [lease.id]);
  expect(after).toEqual({ monthly_rent: 712.5, end_date: '2031-12-31' });
});
