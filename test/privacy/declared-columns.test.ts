/**
 * Every text, JSON and array column of every entity is declared: stored personal data of a policy
 * field (with its category, masking and source), or non-personal with a reason. Walked from the
 * TypeORM entity metadata, so a new column fails here until the policy says what it is.
 */
import { DataSource } from 'typeorm';
import { entities } from '../../src/app/entities';
import { columnDeclarations } from '../../src/privacy/read/declared-columns';
import { compiled } from '../../src/privacy/policy/compiled';
import { SOURCES } from '../../src/privacy/policy/policy-types';

let dataSource: DataSource;

beforeAll(async () => {
  // Metadata only: the entities are built into a DataSource that never connects.
  dataSource = new DataSource({ type: 'postgres', entities });
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
});

test('every text, JSON and array column is declared personal or non-personal, and none both', () => {
  const d = columnDeclarations(dataSource);
  expect(d.undeclared).toEqual([]);
  expect(d.both).toEqual([]);
  expect(d.stale).toEqual([]);
  // The walk sees the columns that matter: free text, the address parts, arrays.
  expect([...d.personal.keys()]).toEqual(expect.arrayContaining([
    'tenant.last_name', 'work_order.description', 'nuisance_case.description', 'disclosure.recipient_name', 'disclosure.withheld_reason',
    'notification.message', 'data_subject_request.outcome', 'dwelling.street', 'dwelling.postal_code',
  ]));
  expect([...d.nonPersonal.keys()]).toEqual(expect.arrayContaining(['audit_event.tenant_ids', 'disclosure.fields']));
  for (const [column, why] of d.nonPersonal) expect({ column, why: why.length > 10 }).toEqual({ column, why: true });
});

test('a column the policy does not name is reported', () => {
  const tenant = dataSource.entityMetadatas.find((m) => m.tableName === 'tenant')!;
  const probe = Object.create(tenant.columns.find((c) => c.databaseName === 'email')!);
  Object.defineProperty(probe, 'databaseName', { value: 'nickname' });
  tenant.columns.push(probe);
  try {
    expect(columnDeclarations(dataSource).undeclared).toEqual(['tenant.nickname']);
  } finally {
    tenant.columns.pop();
  }
});

test('every personal field names its source; free text marks its art. 9/10 risk', () => {
  for (const f of compiled.personal) expect({ field: f.path, source: f.personal!.source in SOURCES }).toEqual({ field: f.path, source: true });
  const special = (path: string) => compiled.personal.find((f) => f.path === path)!.personal!.special ?? [];
  expect(special('WorkOrder.description')).toContain('art9');
  expect(special('NuisanceCase.description')).toEqual(expect.arrayContaining(['art9', 'art10']));
  expect(compiled.personal.find((f) => f.path === 'Tenant.incomeCategory')!.personal!.source).toBe('tax-authority');
  expect(compiled.personal.find((f) => f.path === 'NuisanceCase.description')!.personal!.source).toBe('reporter');
});
