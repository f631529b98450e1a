/**
 * Type and field names are checked by the compiler: `npm test` typechecks first, so each
 * `@ts-expect-error` below fails the run if a misspelt name stops being an error.
 */
import { canRead, canWrite, fieldRule, readableFields, tableRule } from '../../src/privacy/policy/access';
import { compiled } from '../../src/privacy/policy/compiled';
import { ScopedReader } from '../../src/privacy/read/scoped-reader';

test('a literal type or field the policy lacks does not compile; a name known at run time is checked there', () => {
  expect(tableRule('Tenant').table).toBe('tenant');
  // @ts-expect-error no such type
  expect(() => tableRule('Tenat')).toThrow('policy declares no table for type Tenat');
  // @ts-expect-error a structural type has no table
  expect(() => tableRule('Address')).toThrow();
  expect(canRead('tenant', 'Tenant', 'phone')).toBe(true);
  // @ts-expect-error no such field
  expect(canRead('tenant', 'Tenant', 'phoneNumber')).toBe(false);
  // @ts-expect-error no such field
  expect(canWrite('tenant', 'Tenant', 'mail')).toBe(false);
  // @ts-expect-error the field belongs to another type
  expect(fieldRule('Lease', 'iban')).toBeUndefined();
  const fields = readableFields('Tenant', 'contractor', true);
  // @ts-expect-error the names are the type's fields
  expect(fields.includes('rent')).toBe(false);
  expect(fields).toEqual(['id', 'phone', 'address']);
  const dynamic: string = 'Tenant';
  expect(tableRule(dynamic)).toBe(compiled.tableOf.get('Tenant'));
  const typed = (reader: ScopedReader) => {
    void reader.byKey('Lease', 'tenantId', 'x', { from: 'root' });
    // @ts-expect-error no such key
    void reader.byKey('Lease', 'tenant', 'x', { from: 'root' });
    // @ts-expect-error no such table type
    void reader.list('Tenants', { orderBy: { fields: [], direction: 'ASC' }, limit: 1 });
  };
  expect(typed).toBeInstanceOf(Function);
});
