export type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

export interface ColumnSpec<R> {
  name: keyof R & string;
  /** PostgreSQL type of one element; the column travels as one array parameter of this type. */
  type: string;
  /** SQL producing the value from the unnested `t."name"`, when it is not taken as is. */
  select?: string;
}

/** Rows per statement: every column is one array parameter, so only the message size limits this. */
const CHUNK = 5000;

/**
 * Set-based insert: one `INSERT ... SELECT FROM unnest($1::type[], ...)` per chunk of rows. Few, large
 * statements keep both PostgreSQL and PGlite fast, and the parameter count is the column count.
 * `computed` adds columns computed in SQL from the others (e.g. `t."received_at" + interval '1 month'`).
 */
export async function insertRows<R extends object>(
  query: Query,
  table: string,
  columns: ColumnSpec<R>[],
  rows: readonly R[],
  computed: Record<string, string> = {},
): Promise<void> {
  const quoted = columns.map((c) => `"${c.name}"`);
  const sql =
    `INSERT INTO ${table} (${[...quoted, ...Object.keys(computed).map((c) => `"${c}"`)].join(', ')}) ` +
    `SELECT ${[...columns.map((c, i) => c.select ?? `t.${quoted[i]}`), ...Object.values(computed)].join(', ')} ` +
    `FROM unnest(${columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')}) AS t(${quoted.join(', ')})`;
  for (let from = 0; from < rows.length; from += CHUNK) {
    const chunk = rows.slice(from, from + CHUNK);
    await query(sql, columns.map((c) => chunk.map((row) => row[c.name] ?? null)));
  }
}
