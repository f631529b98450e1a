/** The scoped reader's statements are prepared once per connection (parsed and planned once). */
import { randomUUID } from 'node:crypto';
import { MAX_PREPARED_PER_CONNECTION, PREPARE } from '../../../src/platform/db/prepared-client';
import { startTestApp, TestApp } from '../../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

/** On one connection; pg_prepared_statements shows that session's prepared statements. */
async function onOneConnection<T>(work: (query: (sql: string, params?: unknown[]) => Promise<any[]>) => Promise<T>): Promise<T> {
  const runner = t.dataSource.createQueryRunner();
  try {
    return await work((sql, params) => runner.query(sql, params));
  } finally {
    await runner.release();
  }
}

const preparedCount = (query: (sql: string, params?: unknown[]) => Promise<any[]>, like: string) =>
  query('SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE $1', [like]).then(([{ n }]) => n);

test('a marked statement is prepared once and answers for every parameter', async () => {
  const tag = randomUUID();
  await onOneConnection(async (query) => {
    const sql = `SELECT $1::int * 2 AS n /* ${tag} */${PREPARE}`;
    expect(await query(sql, [1])).toEqual([{ n: 2 }]);
    expect(await query(sql, [21])).toEqual([{ n: 42 }]);
    expect(await preparedCount(query, `%${tag}%`)).toBe(1);
  });
});

test('an unmarked statement is not prepared', async () => {
  const tag = randomUUID();
  await onOneConnection(async (query) => {
    expect(await query(`SELECT $1::int AS n /* ${tag} */`, [7])).toEqual([{ n: 7 }]);
    expect(await preparedCount(query, `%${tag}%`)).toBe(0);
  });
});

test('a prepared statement is planned once: the same generic plan serves every execution', async () => {
  const tag = randomUUID();
  await onOneConnection(async (query) => {
    // Under PostgreSQL's default (plan_cache_mode auto) the first five executions are planned anew.
    const sql = `SELECT count(*)::int AS n FROM tenant WHERE id = ANY($1::uuid[]) /* ${tag} */${PREPARE}`;
    for (let i = 0; i < 7; i++) await query(sql, [[randomUUID()]]);
    const [plans] = await query('SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement LIKE $1', [`%${tag}%`]);
    expect(plans).toEqual({ generic: 7, custom: 0 });
  });
});

// Last: it leaves its connection with no room for more prepared statements.
test('a connection prepares at most so many statements; the rest still run', async () => {
  const tag = randomUUID();
  await onOneConnection(async (query) => {
    for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 5; i++) {
      expect(await query(`SELECT $1::int + ${i} AS n /* ${tag} */${PREPARE}`, [1])).toEqual([{ n: i + 1 }]);
    }
    expect(await preparedCount(query, `%${tag}%`)).toBeLessThanOrEqual(MAX_PREPARED_PER_CONNECTION);
  });
});

test('no statement is JIT-compiled, however dear its plan looks (a generic LIMIT $1 over a million rows does)', async () => {
  await onOneConnection(async (query) => {
    await query('BEGIN');
    try {
      // Every threshold at zero: a session that JIT-compiles at all does so for this statement.
      await query('SET LOCAL jit_above_cost = 0');
      await query('SET LOCAL jit_inline_above_cost = 0');
      await query('SET LOCAL jit_optimize_above_cost = 0');
      const [{ 'QUERY PLAN': plan }] = await query('EXPLAIN (ANALYZE, FORMAT JSON) SELECT id FROM tenant ORDER BY last_name, first_name, id LIMIT 50');
      expect(JSON.stringify(plan)).not.toContain('"JIT"');
    } finally {
      await query('ROLLBACK');
    }
  });
});
