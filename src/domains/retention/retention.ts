import { DataSource } from 'typeorm';
import { ScopedWriter } from '../../privacy/write/scoped-writer';
import { RETENTION } from '../../privacy/policy/processing';

export interface RetentionOptions {
  /** The clock: injected by tests, the real time otherwise. */
  now?: Date;
  dryRun?: boolean;
  batchSize?: number;
  log?: (line: string) => void;
}

export interface RetentionSummary {
  dryRun: boolean;
  tenantsAnonymised: number;
  invoicesDeleted: number;
  batches: number;
}

/** The moment before which a deregistration is old enough for anonymisation. */
export function deregistrationCutoff(now: Date): Date {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - RETENTION.formerTenantMonths);
  return cutoff;
}

/** Invoices of this fiscal year and earlier are past their seven years. */
export function lastExpiredFiscalYear(now: Date): number {
  return now.getUTCFullYear() - RETENTION.invoiceYearsAfterFiscalYear - 1;
}

const DUE_TENANTS = `FROM tenant WHERE status = 'FORMER' AND anonymized_at IS NULL AND deregistered_at < $1`;
const DUE_INVOICES = `FROM invoice WHERE substr(period, 1, 4)::int <= $1`;

/**
 * Enforces retention: anonymises tenants who left more than the declared period ago (every personal
 * field by its declared masking) and deletes invoices past the fiscal retention. Each batch is one
 * transaction, so an interruption leaves whole batches done and the rest untouched; a second run
 * finds nothing left (idempotent).
 */
export async function runRetention(dataSource: DataSource, options: RetentionOptions = {}): Promise<RetentionSummary> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 500;
  const log = options.log ?? (() => undefined);
  const cutoff = deregistrationCutoff(now);
  const fiscalYear = lastExpiredFiscalYear(now);
  const [{ n: tenantsDue }] = await dataSource.query(`SELECT count(*)::int AS n ${DUE_TENANTS}`, [cutoff]);
  const [{ n: invoicesDue }] = await dataSource.query(`SELECT count(*)::int AS n ${DUE_INVOICES}`, [fiscalYear]);
  const summary: RetentionSummary = { dryRun: Boolean(options.dryRun), tenantsAnonymised: 0, invoicesDeleted: 0, batches: 0 };
  log(`retention at ${now.toISOString()}: ${tenantsDue} former tenants deregistered before ${cutoff.toISOString().slice(0, 10)}, ` +
    `${invoicesDue} invoices of fiscal year ${fiscalYear} or earlier${options.dryRun ? ' (dry run: nothing changes)' : ''}`);
  if (options.dryRun) return { ...summary, tenantsAnonymised: tenantsDue, invoicesDeleted: invoicesDue };

  for (;;) {
    const done = await dataSource.transaction(async (m) => {
      const rows: { id: string }[] = await m.query(`SELECT id ${DUE_TENANTS} ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`, [cutoff, batchSize]);
      const ids = rows.map((r) => r.id);
      const writer = ScopedWriter.forJob(m, 'retention');
      await writer.mask(ids);
      await writer.updateAllAsJob('Tenant', ids, { anonymizedAt: now });
      return ids.length;
    });
    if (!done) break;
    summary.tenantsAnonymised += done;
    summary.batches++;
    log(`tenants anonymised: ${summary.tenantsAnonymised}/${tenantsDue}`);
  }
  for (;;) {
    const done = await dataSource.transaction(async (m) => {
      // A CTE, because TypeORM answers a bare DELETE … RETURNING with [rows, count].
      const [{ n }] = await m.query(
        `WITH deleted AS (DELETE FROM invoice WHERE id IN (SELECT id ${DUE_INVOICES} ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING id)
         SELECT count(*)::int AS n FROM deleted`,
        [fiscalYear, batchSize],
      );
      return n as number;
    });
    if (!done) break;
    summary.invoicesDeleted += done;
    summary.batches++;
    log(`invoices deleted: ${summary.invoicesDeleted}/${invoicesDue}`);
  }
  log(`retention done: ${summary.tenantsAnonymised} tenants anonymised, ${summary.invoicesDeleted} invoices deleted in ${summary.batches} batches`);
  return summary;
}
