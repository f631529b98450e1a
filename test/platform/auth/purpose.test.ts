/**
 * Issue 16 item 7 (first hour): what a staff member is told about X-Purpose. Without it, a field
 * some purpose reads says the header is missing and lists the token's purposes; a purpose the token
 * lacks lists the token's purposes; an unknown value lists the valid ones. Nothing else: no
 * personal value, and no hint on fields no purpose reads.
 */
import { PURPOSES } from '../../../src/platform/auth/audiences';
import { codes, startTestApp, TestApp, tokens } from '../../support/app';
import { findFixtures, Fixtures } from '../../support/fixtures';
import { expectNoneOf, postRaw } from '../../support/http';

let t: TestApp;
let fx: Fixtures;
let values: string[];

beforeAll(async () => {
  t = await startTestApp();
  fx = await findFixtures(t.dataSource);
  const [row] = await t.dataSource.query(`SELECT first_name, last_name, email, iban FROM tenant WHERE id = $1`, [fx.tenantId]);
  values = Object.values(row as Record<string, string>);
});
afterAll(() => t?.close());

const TENANT = `query T($id: ID!) { tenant(id: $id) { id lastName email } }`;

test('no X-Purpose: the refusal says the header is missing and lists the token\'s purposes', async () => {
  const r = await postRaw(t, TENANT, { id: fx.tenantId }, { authorization: `Bearer ${tokens.staff('REPAIRS', 'PRIVACY')}` });
  expect(r.status).toBe(200);
  expect(r.data?.tenant ?? null).toBeNull();
  expect(codes(r)).toEqual(['FORBIDDEN']);
  expect(r.errors![0].message).toBe("The X-Purpose header is missing: declare one of this token's purposes (REPAIRS, PRIVACY)");
  expectNoneOf(r.text, values);
});

test('no X-Purpose on a personal field below an entry point staff may call without one', async () => {
  const r = await postRaw(t, `{ workOrders(first: 1) { edges { node { id tenant { lastName } } } } }`, undefined,
    { authorization: `Bearer ${tokens.staff('REPAIRS')}` });
  const messages = new Set((r.errors ?? []).map((e) => e.message));
  expect(codes(r).every((c) => c === 'FORBIDDEN')).toBe(true);
  expect([...messages]).toEqual(["The X-Purpose header is missing: declare one of this token's purposes (REPAIRS)"]);
  expectNoneOf(r.text, values);
});

test('a field no staff purpose reads keeps the plain refusal', async () => {
  const r = await postRaw(t, `{ myProfile { id } }`, undefined, { authorization: `Bearer ${tokens.staff('REPAIRS')}` });
  expect(codes(r)).toEqual(['FORBIDDEN']);
  expect(r.errors![0].message).toBe('Not allowed for this role or purpose');
});

test('a purpose the token does not hold: 403, the token\'s purposes listed', async () => {
  const r = await postRaw(t, TENANT, { id: fx.tenantId }, { authorization: `Bearer ${tokens.staff('REPAIRS', 'PRIVACY')}`, 'x-purpose': 'LETTING' });
  expect(r.status).toBe(403);
  expect(codes(r)).toEqual(['FORBIDDEN']);
  expect(r.errors![0].message).toBe("The declared purpose is not one of this token's purposes: REPAIRS, PRIVACY");
  expect(r.data ?? null).toBeNull();
});

test('an unknown purpose value: 403, the valid values listed', async () => {
  const r = await postRaw(t, TENANT, { id: fx.tenantId }, { authorization: `Bearer ${tokens.staff('REPAIRS')}`, 'x-purpose': 'repairs' });
  expect(r.status).toBe(403);
  expect(r.errors![0].message).toBe(`X-Purpose must be one of ${PURPOSES.join(', ')}`);
  expect(r.errors![0].message).toContain('REPAIRS, CONTRACT, LETTING, RENT_COLLECTION, ARREARS, NUISANCE, PRIVACY');
  expect(r.data ?? null).toBeNull();
});
