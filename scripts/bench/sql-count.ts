import type { DataSource } from 'typeorm';

/** The two statements of src/audit/audit-writer.ts. */
const AUDIT_WRITER = /^\s*(INSERT INTO audit_event|SELECT hash FROM audit_event)\b/;

export interface StatementCounter {
  /** Statements that read domain data (everything but the audit trail's). */
  data: number;
  /** Statements of the audit trail (the INSERT of an event, the chain anchor look-up). */
  audit: number;
  reset(): void;
}

/**
 * Counts the SQL statements a server issues through its DataSource. Every read of the API goes
 * through `dataSource.query` (ScopedReader) and so does the audit writer, so the count is exact;
 * the harness measures with one request in flight at a time.
 */
export function countStatements(dataSource: DataSource): StatementCounter {
  const counter: StatementCounter = {
    data: 0,
    audit: 0,
    reset() {
      counter.data = 0;
      counter.audit = 0;
    },
  };
  const original = dataSource.query.bind(dataSource);
  dataSource.query = ((sql: string, parameters?: unknown[], queryRunner?: unknown) => {
    if (AUDIT_WRITER.test(sql)) counter.audit++;
    else counter.data++;
    return original(sql, parameters as never, queryRunner as never);
  }) as DataSource['query'];
  return counter;
}
