/**
 * The distinct names a name search walks (migration SearchValues) stay exactly what the tenant table
 * holds through every kind of write — inserts in bulk, a changed name, a change of another column, an
 * erasure, a delete, a truncate, a rolled-back write — and a name nobody holds any more is gone.
 */
import { randomUUID } from 'node:crypto';
import { openScratchDatabase, ScratchDatabase } from '../../support/scratch-db';
import { compiled } from '../../../src/privacy/policy/compiled';
import { tableRule } from '../../../src/privacy/policy/access';
import { catalogOf } from '../../../src/privacy/read/catalog';

let db: ScratchDatabase;
beforeAll(async () => { db = await openScratchDatabase({ tenantsPerStatus: 15 }); }, 120_000);
afterAll(() => db?.close());

const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);

/** What the table should hold: each searched column's distinct non-null values with their holders. */
async function recount(): Promise<string[]> {
  const rows = await q(`SELECT c, v, count(*)::int AS n FROM (
      SELECT 'first_name' AS c, first_name AS v FROM tenant UNION ALL SELECT 'last_name', last_name FROM tenant) held
    WHERE v IS NOT NULL GROUP BY c, v ORDER BY c, v`);
  return rows.map((r: any) => `${r.c}|${r.v}|${r.n}`);
}
async function held(): Promise<string[]> {
  const rows = await q(`SELECT searched_column AS c, value AS v, holders AS n FROM tenant_search_value ORDER BY searched_column, value`);
  return rows.map((r: any) => `${r.c}|${r.v}|${r.n}`);
}

async function insertTenants(names: [string, string][]): Promise<string[]> {
  const ids = names.map(() => randomUUID());
  await q(
    `INSERT INTO tenant (id, first_name, last_name, email, phone, iban, status)
     SELECT id, f, l, 'sv-' || id || '@example.nl', NULL, NULL, 'ACTIVE' FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(id, f, l)`,
    [ids, names.map((n) => n[0]), names.map((n) => n[1])],
  );
  return ids;
}

test('the policy names the table for exactly the type whose fields are searched by `contains`, and the columns it keeps', async () => {
  const withContains = [...compiled.tables]
    .filter((t) => t.fields.some((f) => f.searchable === 'contains')).map((t) => t.name);
  const declared = [...compiled.tables].filter((t) => t.searchValues).map((t) => t.name);
  expect(declared).toEqual(withContains);
  const catalog = catalogOf(db.dataSource).get('Tenant')!;
  const columns = tableRule('Tenant').fields.filter((f) => f.searchable === 'contains')
    .map((f) => { const s = catalog.get(f.name)!; return s.kind === 'column' ? s.column : f.name; }).sort();
  const kept: { c: string }[] = await q(`SELECT DISTINCT searched_column AS c FROM tenant_search_value ORDER BY 1`);
  expect(kept.map((r) => r.c)).toEqual(columns);
});

test('the seeded names are all there, with their holders', async () => {
  expect((await held()).length).toBeGreaterThan(10);
  expect(await held()).toEqual(await recount());
});

test('inserts, changes, erasure-like overwrites, deletes and rollbacks keep it exact', async () => {
  const unique = `Zwaluwstaart${randomUUID().slice(0, 8)}`;
  const ids = await insertTenants([['Anouk', unique], ['Anouk', unique], ['Bram', 'de Vries']]);
  expect(await held()).toEqual(await recount());
  expect(await held()).toContain(`last_name|${unique}|2`);

  // Another column: nothing changes. A name: the old value loses a holder, the new gains one.
  await q(`UPDATE tenant SET email = 'sv2-' || id || '@example.nl' WHERE id = $1`, [ids[0]]);
  await q(`UPDATE tenant SET last_name = 'Bakker' WHERE id = $1`, [ids[0]]);
  expect(await held()).toContain(`last_name|${unique}|1`);
  expect(await held()).toEqual(await recount());

  // The last holder overwritten (an erasure writes fixed text): the value is gone.
  await q(`UPDATE tenant SET last_name = 'Anoniem', first_name = 'Anoniem' WHERE id = $1`, [ids[1]]);
  expect((await held()).some((h) => h.includes(unique))).toBe(false);
  expect(await held()).toEqual(await recount());

  // A rolled-back write leaves no trace.
  const runner = db.dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  await runner.query(`UPDATE tenant SET last_name = 'Terugdraai' WHERE id = $1`, [ids[2]]);
  expect((await runner.query(`SELECT holders FROM tenant_search_value WHERE value = 'Terugdraai'`))).toEqual([{ holders: 1 }]);
  await runner.rollbackTransaction();
  await runner.release();
  expect((await held()).some((h) => h.includes('Terugdraai'))).toBe(false);

  await q(`DELETE FROM tenant WHERE id = ANY($1::uuid[])`, [ids]);
  expect(await held()).toEqual(await recount());
});

test('one statement writing many rows with the same and swapped names counts each once', async () => {
  const ids = await insertTenants([['Cor', 'Smit'], ['Smit', 'Cor'], ['Cor', 'Smit']]);
  await q(`UPDATE tenant SET first_name = last_name, last_name = first_name WHERE id = ANY($1::uuid[])`, [ids]);
  expect(await held()).toEqual(await recount());
  await q(`DELETE FROM tenant WHERE id = ANY($1::uuid[])`, [ids]);
  expect(await held()).toEqual(await recount());
});

test('a truncate empties it', async () => {
  await q(`TRUNCATE tenant CASCADE`);
  expect(await held()).toEqual([]);
  await insertTenants([['Daan', 'Visser']]);
  expect(await held()).toEqual(['first_name|Daan|1', 'last_name|Visser|1']);
});
