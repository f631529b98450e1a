/**
 * `npm run anonymize -- --to <postgres://… | directory>`: copies the configured database (DATABASE_URL,
 * else the embedded database in DATA_DIR, default ./data) into an empty database with every personal
 * value replaced by a random look-alike of its category (Dutch names, valid IBANs and phones), every
 * id new, the audit trail left out (POLICY.md "Anonymised test data"). Options: --batch-size <rows>
 * (default 2000).
 * Exit code 0 when copied, 2 when refused (target not empty, target is the source, bad arguments),
 * 1 on any other failure (the target is then left without copied rows).
 */
import 'reflect-metadata';
import { CopyRefusedError, copyAnonymized, DEFAULT_BATCH_SIZE } from '../src/domains/anonymized-copy/copy';
import { openTarget } from '../src/app/copy-target';
import { openDatabase } from '../src/app/database';

const USAGE = 'usage: npm run anonymize -- --to <postgres://… | directory> [--batch-size <rows>]';

class UsageError extends CopyRefusedError {}

function parseArgs(argv: string[]): { to: string; batchSize: number } {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(to|batch-size)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new UsageError(`unknown argument ${argv[i]}\n${USAGE}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${m[1]} needs a value\n${USAGE}`);
    values[m[1]] = value;
  }
  if (!values.to) throw new UsageError(USAGE);
  const batchSize = values['batch-size'] === undefined ? DEFAULT_BATCH_SIZE : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError('--batch-size must be a positive integer');
  return { to: values.to, batchSize };
}

async function main(): Promise<number> {
  const { to, batchSize } = parseArgs(process.argv.slice(2));
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = process.env.DATA_DIR ?? './data';
  const log = (line: string) => console.log(line);
  const source = await openDatabase({ databaseUrl, dataDir, seed: false, log: (m) => log(`source: ${m}`) });
  try {
    const target = await openTarget(to, { databaseUrl, dataDir });
    try {
      log(`copying ${databaseUrl ? 'DATABASE_URL' : `embedded database ${dataDir}`} into ${target.description}`);
      await copyAnonymized(source.dataSource, target.dataSource, { batchSize, log });
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
  return 0;
}

main().then((code) => process.exit(code), (error) => {
  const refused = error instanceof CopyRefusedError;
  if (error instanceof UsageError) console.error(error.message);
  else console.error(refused ? `refused: ${error.message}` : error instanceof Error ? error.message : error);
  process.exit(refused ? 2 : 1);
});
