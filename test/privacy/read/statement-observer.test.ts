/**
 * The scoped reader tells its `onStatement` observer of every statement it sends (how the benchmark
 * counts a request's reads), and the observer sees what reaches the database: the same statements
 * the DataSource logs.
 */
import { DataSource, Logger } from 'typeorm';
import { createDataSource } from '../../../src/app/data-source';
import { ScopedReader } from '../../../src/privacy/read/scoped-reader';
import type { Viewer } from '../../../src/platform/auth/viewer';

const logged: string[] = [];
const logger: Logger = {
  logQuery: (query) => void logged.push(query),
  logQueryError() {}, logQuerySlow() {}, logSchemaBuild() {}, logMigration() {}, log() {},
};

let ds: DataSource;
beforeAll(async () => {
  ds = createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 2, logger });
  await ds.initialize();
});
afterAll(() => ds?.destroy());

test('every read and count goes past the observer, as the DataSource sends it', async () => {
  const viewer: Viewer = { sub: 's', role: 'staff', purposes: ['PRIVACY'], purpose: 'PRIVACY', audience: 'staff:PRIVACY' };
  const observed: string[] = [];
  const reader = new ScopedReader(ds, viewer, { onStatement: (sql) => observed.push(sql) });
  logged.length = 0;
  const rows = await reader.list('Tenant', { orderBy: { fields: ['lastName'], direction: 'ASC' }, limit: 3 });
  await reader.count('Tenant', {}, 10);
  await Promise.all(rows.map((row) => reader.byKey('Lease', 'tenantId', String(row.id), { from: 'parent', open: true })));
  expect(observed).toHaveLength(3); // the list, the count, and one batched load of the leases
  expect(logged.map((s) => s.replace(/ \/\* prepared \*\/$/, ''))).toEqual(observed);
});

test('a reader without an observer reads the same', async () => {
  const viewer: Viewer = { sub: 's', role: 'staff', purposes: ['PRIVACY'], purpose: 'PRIVACY', audience: 'staff:PRIVACY' };
  const rows = await new ScopedReader(ds, viewer).list('Tenant', { orderBy: { fields: ['lastName'], direction: 'ASC' }, limit: 3 });
  expect(rows).toHaveLength(3);
});
