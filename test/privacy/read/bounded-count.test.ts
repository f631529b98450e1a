/**
 * `totalCount` counts exactly up to COUNT_BOUND rows and says when there are more
 * (`totalCountExact: false`), without counting rows out of the caller's scope: a restricted tenant
 * is not counted for a purpose that does not reach them, however many rows there are.
 */
import { COUNT_BOUND } from '../../../src/privacy/read/connection';
import { startServer, type App } from '../../../src/app/server';
import { openScratchDatabase, type ScratchDatabase } from '../../support/scratch-db';
import { config, sign } from '../../support/app';
import { fetchJson } from '../../support/fetch-json';
import type { Purpose } from '../../../src/platform/auth/audiences';

const COUNTS = 'query Counts($search: String) { tenants(first: 1, search: $search) { totalCount totalCountExact } }';

let db: ScratchDatabase;
let app: App;
beforeAll(async () => {
  db = await openScratchDatabase({ tenantsPerStatus: 10 });
  app = await startServer(config, db.dataSource);
});
afterAll(async () => {
  await app?.stop();
  await db?.close();
});

async function counts(purpose: Purpose, search?: string): Promise<{ totalCount: number; totalCountExact: boolean }> {
  const token = sign({ sub: 'counting-staff', role: 'staff', purposes: [purpose] });
  const { body } = await fetchJson(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': purpose },
    body: JSON.stringify({ query: COUNTS, variables: { search } }),
  });
  expect(body.errors).toBeUndefined();
  return body.data.tenants;
}

/** Home seekers named `Teller<n>` until the database holds `total` tenants. */
async function fillTo(total: number): Promise<void> {
  const [{ n }] = await db.dataSource.query('SELECT count(*)::int AS n FROM tenant');
  await db.dataSource.query(
    `INSERT INTO tenant (first_name, last_name, status) SELECT 'Kees', 'Teller' || i, 'HOME_SEEKER' FROM generate_series(1, $1::int) AS i`,
    [total - n],
  );
}

test('exact below the bound, and a restricted tenant is counted only for PRIVACY', async () => {
  await db.dataSource.query('UPDATE tenant SET restricted = true WHERE id = (SELECT min(id::text)::uuid FROM tenant)');
  const [{ n }] = await db.dataSource.query('SELECT count(*)::int AS n FROM tenant');
  const [{ r }] = await db.dataSource.query('SELECT count(*)::int AS r FROM tenant WHERE restricted');
  expect(r).toBeGreaterThan(0);
  expect(await counts('PRIVACY')).toEqual({ totalCount: n, totalCountExact: true });
  expect(await counts('LETTING')).toEqual({ totalCount: n - r, totalCountExact: true });
});

test('past the bound: the bound and totalCountExact false; a narrower search is exact again', async () => {
  await fillTo(COUNT_BOUND + 3);
  expect(await counts('PRIVACY')).toEqual({ totalCount: COUNT_BOUND, totalCountExact: false });
  // One restricted tenant among exactly COUNT_BOUND + 1: LETTING reaches COUNT_BOUND of them, PRIVACY all.
  await db.dataSource.query(`DELETE FROM tenant WHERE last_name IN ('Teller2', 'Teller3')`);
  await db.dataSource.query(`UPDATE tenant SET restricted = false WHERE restricted`);
  await db.dataSource.query(`UPDATE tenant SET restricted = true WHERE last_name = 'Teller1'`);
  expect(await counts('LETTING')).toEqual({ totalCount: COUNT_BOUND, totalCountExact: true });
  expect(await counts('PRIVACY')).toEqual({ totalCount: COUNT_BOUND, totalCountExact: false });
  expect(await counts('LETTING', 'Teller12')).toEqual({ totalCount: 11, totalCountExact: true }); // Teller12, Teller120–129
});
