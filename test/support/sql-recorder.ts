import type { Logger } from 'typeorm';

/** A TypeORM logger that keeps every statement a DataSource sends, for tests that read the SQL. */
export class SqlRecorder implements Logger {
  statements: string[] = [];
  logQuery(query: string) { this.statements.push(query); }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
}
