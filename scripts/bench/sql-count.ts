import type { DataSource } from 'typeorm';

export interface StatementCounter {
  /** Statements that read domain data: every statement through the DataSource. */
  data: number;
  /** Statements of the audit trail (its INSERTs), which the writer issues on its own connection. */
  audit: number;
  /** The data statements since the last reset, with their parameters, while `recording` is on. */
  recorded: { sql: string; params: unknown[] }[];
  recording: boolean;
  reset(): void;
}

/**
 * Counts the SQL statements a server issues. Every read of the API goes through
 * `dataSource.query` (ScopedReader), so the data count is exact; the audit writer has its own
 * connection and counts its INSERTs itself (`auditInserts`). The harness measures with one
 * request in flight at a time.
 */
export function countStatements(dataSource: DataSource, auditInserts: () => number = () => 0): StatementCounter {
  let data = 0;
  let auditBase = auditInserts();
  const counter: StatementCounter = {
    recorded: [],
    recording: false,
    get data() {
      return data;
    },
    get audit() {
      return auditInserts() - auditBase;
    },
    reset() {
      data = 0;
      auditBase = auditInserts();
      counter.recorded = [];
    },
  };
  // Recorded where every statement passes, the query runner: `dataSource.query` runs on one, and a
  // statement that needs its own plan runs on one of its own in a transaction with `SET LOCAL
  // plan_cache_mode` (src/platform/db/custom-plan.ts), recorded whole so that a replay runs what the
  // server ran. Counted as before: `dataSource.query` only.
  const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = ((mode?: 'master' | 'slave') => {
    const runner = createQueryRunner(mode);
    const query = runner.query.bind(runner);
    runner.query = ((sql: string, parameters?: unknown[], ...rest: unknown[]) => {
      if (counter.recording) counter.recorded.push({ sql, params: parameters ?? [] });
      return (query as (...args: unknown[]) => Promise<unknown>)(sql, parameters, ...rest);
    }) as typeof runner.query;
    return runner;
  }) as DataSource['createQueryRunner'];
  const original = dataSource.query.bind(dataSource);
  dataSource.query = ((sql: string, parameters?: unknown[], queryRunner?: unknown) => {
    data++;
    return original(sql, parameters as never, queryRunner as never);
  }) as DataSource['query'];
  return counter;
}
