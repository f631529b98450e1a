/**
 * `npm run retention [-- --dry-run] [-- --batch-size N]`: anonymises tenants who left more than a
 * year ago and deletes invoices past their fiscal retention. Uses DATABASE_URL, else the embedded
 * database in DATA_DIR (migrated first; stop the server: one process opens it at a time).
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/app/database';
import { runRetention } from '../src/domains/retention/retention';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false }, 'batch-size': { type: 'string', default: '500' } } });
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch-size must be a positive whole number');
  const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR ?? './data', seed: false });
  try {
    await runRetention(db.dataSource, { dryRun: values['dry-run'], batchSize, log: (line) => console.log(line) });
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
