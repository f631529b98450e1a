import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { EmbeddedDatabase, startEmbeddedDatabase } from '../platform/db/embedded';
import { CopyRefusedError } from '../domains/anonymized-copy/copy';

export interface CopyTarget {
  dataSource: DataSource;
  /** For messages: the server without credentials, or the directory. */
  description: string;
  close(): Promise<void>;
}

export interface SourceLocation {
  databaseUrl?: string;
  dataDir?: string;
}

export function isDatabaseUrl(to: string): boolean {
  return /^postgres(ql)?:\/\//i.test(to);
}

/** A URL without its credentials and parameters, for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'the database URL';
  }
}

function sameDatabase(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    const port = (u: URL) => u.port || '5432';
    return x.hostname === y.hostname && port(x) === port(y) && x.pathname === y.pathname;
  } catch {
    return a === b;
  }
}

/**
 * Opens where an anonymised copy goes: a PostgreSQL server database (`postgres://…`) or an embedded
 * database directory, created when absent. Refuses the source itself, and a directory that holds
 * something other than an embedded database.
 */
export async function openTarget(to: string, source: SourceLocation): Promise<CopyTarget> {
  let embedded: EmbeddedDatabase | undefined;
  let url: string;
  let description: string;
  if (isDatabaseUrl(to)) {
    if (source.databaseUrl && sameDatabase(to, source.databaseUrl)) {
      throw new CopyRefusedError(`the target ${describeUrl(to)} is the source database`);
    }
    url = to;
    description = describeUrl(to);
  } else {
    const dir = resolve(to);
    if (!source.databaseUrl && source.dataDir && resolve(source.dataDir) === dir) {
      throw new CopyRefusedError(`the target directory ${dir} is the source database (DATA_DIR)`);
    }
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) throw new CopyRefusedError(`the target ${dir} is not a directory`);
      if (readdirSync(dir).length && !existsSync(join(dir, 'PG_VERSION'))) {
        throw new CopyRefusedError(`the target directory ${dir} is not empty and holds no embedded database`);
      }
    }
    embedded = await startEmbeddedDatabase(dir, 2);
    url = embedded.url;
    description = dir;
  }
  const dataSource = createDataSource({ url, poolSize: 2 });
  try {
    await dataSource.initialize();
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    description,
    async close() {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
