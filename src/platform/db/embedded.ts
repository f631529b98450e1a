import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { setStatements } from './session-settings';
import { groupWireMessages } from './wire-grouping';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Real PostgreSQL (PGlite, WASM) served over the wire protocol on loopback, so the same `pg`
 * driver and TypeORM code run on it and on a PostgreSQL server. `dataDir` undefined keeps it in memory.
 * `maxConnections`: the server refuses connections past it, so it is sized to the pools that use it
 * (src/app/database.ts sizes the application's).
 */
export async function startEmbeddedDatabase(dataDir: string | undefined, maxConnections: number): Promise<EmbeddedDatabase> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // pg_trgm: the trigram indexes search uses (migration SearchIndexes), as on a PostgreSQL server.
  const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { pg_trgm } });
  // PGlite ignores startup parameters; its one session is every connection's. It does not enforce
  // statement_timeout either (set or not, a statement runs to its end: WASM has no timer signal), so
  // on the embedded database only the client's query_timeout bounds how long a request waits.
  await db.exec(setStatements());
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  // Internal to pglite-socket (pinned version): see wire-grouping.ts for why.
  groupWireMessages((server as unknown as { queryQueue: Parameters<typeof groupWireMessages>[0] }).queryQueue);
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  return {
    url,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
