/**
 * `npm run audit:verify`: recomputes the audit hash chains with AUDIT_KEY, holds them against the
 * signed checkpoints in AUDIT_CHECKPOINT_DIR (default `<DATA_DIR>/audit-checkpoints`), and names
 * the first broken link: an edited event, a chain cut short, rewritten or dropped, a checkpoint
 * altered, a gap no retention retirement covers, a retirement forged. Exit code 0 when intact, 1 when broken. Uses DATABASE_URL, else the embedded database in
 * DATA_DIR (stop the server first: the embedded database is opened by one process at a time).
 * The checkpoints of every instance belong in that directory (copy them together when instances
 * keep them apart): a chain checkpointed elsewhere is checked against the table and the key only.
 */
import 'reflect-metadata';
import { auditConfig } from '../src/platform/config';
import { verifyAuditChains } from '../src/platform/audit/verify';
import { openDatabase } from '../src/app/database';

async function main(): Promise<number> {
  const audit = auditConfig();
  if (!process.env.AUDIT_KEY) console.error('warning: AUDIT_KEY is not set; verifying with the development key');
  const db = await openDatabase({
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: process.env.DATA_DIR ?? './data',
    seed: false,
  });
  try {
    const result = await verifyAuditChains(db.dataSource, { key: audit.key, checkpointDir: audit.checkpointDir });
    if (result.broken) {
      const b = result.broken;
      const where = [b.id !== null && `event ${b.id}`, b.chain !== null && `chain ${b.chain}`, b.seq !== null && `seq ${b.seq}`].filter(Boolean).join(', ');
      console.log(`BROKEN${where ? ` at ${where}` : ''}: ${b.reason}`);
      return 1;
    }
    console.log(`audit trail intact: ${result.events} events in ${result.chains} chains`);
    console.log(`checkpoints: ${result.checkpointedChains} chains held against ${result.checkpointFiles} files in ${audit.checkpointDir}`);
    if (result.retiredChains) console.log(`retention: ${result.retiredChains} chains start after their retired oldest events (audit_retirement, MAC checked)`);
    if (result.legacyChains) {
      console.log(`legacy: ${result.legacyEvents} events in ${result.legacyChains} chains are hashed without the key (written before AUDIT_KEY); `
        + 'a superuser could have recomputed those not held by a checkpoint');
    }
    return 0;
  } finally {
    await db.close();
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
