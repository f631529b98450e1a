/** An erasure that fails midway (after the tenant's row, before its nuisance cases) leaves nothing half done. */
import { asStaff, codes, startTestApp, TestApp } from '../../support/app';
import { createRequest, createTenant } from '../../support/rows';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

test('the tenant, its cases and the request stay as they were, and a retry completes', async () => {
  const { tenantId } = await createTenant(t.dataSource, { lease: 'ended' });
  await t.dataSource.query(`INSERT INTO nuisance_case (tenant_id, description, status) VALUES ($1, 'Harde muziek', 'CLOSED')`, [tenantId]);
  const requestId = await createRequest(t.dataSource, tenantId, 'ERASURE');
  const snapshot = async () => ({
    tenant: (await t.dataSource.query('SELECT first_name, last_name, email, iban, anonymized_at FROM tenant WHERE id = $1', [tenantId]))[0],
    cases: await t.dataSource.query('SELECT description FROM nuisance_case WHERE tenant_id = $1', [tenantId]),
    request: (await t.dataSource.query('SELECT status, outcome FROM data_subject_request WHERE id = $1', [requestId]))[0],
  });
  const before = await snapshot();
  const trigger = `fail_erasure_${tenantId.replace(/-/g, '')}`;
  // The database fails the masking of this tenant's nuisance cases: the erasure's second table.
  await t.dataSource.query(`CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF NEW.tenant_id = '${tenantId}' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$`);
  await t.dataSource.query(`CREATE TRIGGER ${trigger} BEFORE UPDATE ON nuisance_case FOR EACH ROW EXECUTE FUNCTION ${trigger}()`);
  const resolve = () => t.gql('mutation($id: ID!) { resolveDataSubjectRequest(id: $id) { id status } }', { id: requestId }, asStaff('PRIVACY'));
  try {
    const failed = await resolve();
    expect(failed.data.resolveDataSubjectRequest).toBeNull();
    expect(codes(failed)).toEqual(['INTERNAL_SERVER_ERROR']);
  } finally {
    await t.dataSource.query(`DROP TRIGGER ${trigger} ON nuisance_case`);
    await t.dataSource.query(`DROP FUNCTION ${trigger}()`);
  }
  expect(await snapshot()).toEqual(before);

  const retried = await resolve();
  expect(retried.data.resolveDataSubjectRequest.status).toBe('RESOLVED');
  const after = await snapshot();
  expect(after.tenant).toMatchObject({ first_name: 'Anoniem', email: null, iban: null });
  expect(after.cases).toEqual([{ description: '[verwijderd]' }]);
});
