import type { DataSource } from 'typeorm';

export interface StatementCounter {
  /** Statements that read domain data: every statement through the DataSource. */
  data: number;
  /** Statements of the audit trail (its INSERTs), which the writer issues on its own connection. */
  audit: number;
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
    get data() {
      return data;
    },
    get audit() {
      return auditInserts() - auditBase;
    },
    reset() {
      data = 0;
      auditBase = auditInserts();
    },
  };
  const original = dataSource.query.bind(dataSource);
  dataSource.query = ((sql: string, parameters?: unknown[], queryRunner?: unknown) => {
    data++;
    return original(sql, parameters as never, queryRunner as never);
  }) as DataSource['query'];
  return counter;
}
