/**
 * `npm run audit:verify`: recomputes the audit hash chains and names the first broken link.
 * Exit code 0 when intact, 1 when broken. Uses DATABASE_URL, else the embedded database in DATA_DIR
 * (stop the server first: the embedded database is opened by one process at a time).
 */
import 'reflect-metadata';
import { verifyAuditChains } from '../src/platform/audit/verify';
import { openDatabase } from '../src/app/database';

async function main(): Promise<number> {
  const db = await openDatabase({
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: process.env.DATA_DIR ?? './data',
    seed: false,
  });
  try {
    const result = await verifyAuditChains(db.dataSource);
    if (result.broken) {
      const b = result.broken;
      console.log(`BROKEN at event ${b.id} (chain ${b.chain}, seq ${b.seq}): ${b.reason}`);
      return 1;
    }
    console.log(`audit trail intact: ${result.events} events in ${result.chains} chains`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
