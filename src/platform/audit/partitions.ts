import type { DataSource, EntityManager } from 'typeorm';

/** What runs a statement and answers its rows: a DataSource, an EntityManager, a script's client. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

/** Months of audit partitions kept ready ahead of the current one. */
export const MONTHS_AHEAD = 3;

/**
 * Creates the audit trail's month partitions (events and their tenant index) from `from`'s month
 * through `MONTHS_AHEAD` months after `now`'s, where missing: `audit_ensure_partition` (the
 * migration's) skips a month that exists or that the default partition already holds events of.
 * Returns the months created, as `YYYY-MM`.
 */
export async function ensureAuditPartitions(m: Queryable, now: Date, from: Date = now): Promise<string[]> {
  const rows: { month: string; created: boolean }[] = await m.query(
    `SELECT to_char(month, 'YYYY-MM') AS month, audit_ensure_partition(month::date) AS created
     FROM generate_series(date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC'),
                          date_trunc('month', $2::timestamptz AT TIME ZONE 'UTC') + make_interval(months => $3),
                          interval '1 month') AS month`,
    [from, now, MONTHS_AHEAD],
  );
  return rows.filter((r) => r.created).map((r) => r.month);
}

/** A partition is analyzed again once it is this many times the size its statistics describe. */
export const REANALYZE_GROWTH = 2;
/** Pages (8 kB) a partition must have before its growth counts: below it every plan is cheap. */
const MIN_ANALYZED_PAGES = 64;

/**
 * ANALYZEs every partition of the audit trail and its tenant index that has grown to
 * `REANALYZE_GROWTH` times the pages its statistics were taken at; returns their names. A month's
 * partitions start empty, and with the statistics of an empty table the planner walks a tenant's
 * access log by merging the whole month's events in id order: half a second at a few million events
 * instead of half a millisecond (issue 17). Autovacuum would analyze them, but it may be off: the
 * server checks every minute, by size, which needs no statistics collector (PGlite has none).
 */
export async function analyzeGrownAuditPartitions(m: Queryable): Promise<string[]> {
  const grown: { name: string }[] = await m.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent IN ('audit_event'::regclass, 'audit_event_subject'::regclass)
       AND pg_relation_size(c.oid) / current_setting('block_size')::int > $1 * greatest(c.relpages, $2)
     ORDER BY c.relname`,
    [REANALYZE_GROWTH, MIN_ANALYZED_PAGES / REANALYZE_GROWTH],
  );
  for (const { name } of grown) await m.query(`ANALYZE ${name.replace(/[^a-z0-9_]/g, '')}`);
  return grown.map((g) => g.name);
}

/** The column the audit trail is partitioned by, or null when it is not partitioned. */
export async function auditPartitionKey(m: DataSource | EntityManager): Promise<string | null> {
  const [row] = await m.query(`SELECT pg_get_partkeydef('audit_event'::regclass) AS key`);
  return /^RANGE \((\w+)\)$/.exec(row?.key ?? '')?.[1] ?? null;
}

/** One month partition of the audit trail, with its tenant index partition. */
export interface AuditPartition {
  events: string;
  subjects: string;
}

/** The month partitions whose whole month lies before `before`, oldest first. */
export async function partitionsBefore(m: DataSource | EntityManager, before: Date): Promise<AuditPartition[]> {
  const rows: { name: string }[] = await m.query(`
    SELECT c.relname AS name, upper_bound.value::timestamptz AS until
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    CROSS JOIN LATERAL (SELECT substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \\(''([^'']+)''\\)') AS value) AS upper_bound
    WHERE i.inhparent = 'audit_event'::regclass AND upper_bound.value IS NOT NULL
      AND upper_bound.value::timestamptz <= $1
    ORDER BY until`, [before]);
  return rows.map((r) => ({ events: r.name, subjects: r.name.replace(/^audit_event_/, 'audit_event_subject_') }));
}
