/**
 * `npm run retention [-- --dry-run] [-- --as-of YYYY-MM-DD] [-- --batch-size N]`: enforces the
 * retention the policy declares (deregisters tenants whose last lease has ended, ends lapsed registrations, completes erasures held back by a lease
 * that has ended, anonymises people deregistered longer than their period ago, deletes rows past
 * their fiscal retention, retires audit chains' expired prefixes under a marker keyed with AUDIT_KEY), as of today or of `--as-of`. Uses DATABASE_URL, else the embedded
 * database in DATA_DIR (migrated first; stop the server: one process opens it at a time).
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/app/database';
import { runRetention } from '../src/domains/retention/retention';

/** `YYYY-MM-DD` as the start of that day (UTC), or an error naming the option. */
export function asOfDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new Error('--as-of must be a date, YYYY-MM-DD');
  }
  return date;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'dry-run': { type: 'boolean', default: false }, 'batch-size': { type: 'string', default: '500' }, 'as-of': { type: 'string' } },
  });
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch-size must be a positive whole number');
  const now = asOfDate(values['as-of']);
  const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR ?? './data', seed: false });
  try {
    await runRetention(db.dataSource, { now, dryRun: values['dry-run'], batchSize, log: (line) => console.log(line) });
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
