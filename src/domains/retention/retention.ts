import { DataSource, EntityManager } from 'typeorm';
import { ScopedWriter } from '../../privacy/write/scoped-writer';
import { compiled } from '../../privacy/policy/compiled';
import type { Retention } from '../../privacy/policy/policy-types';
import { storedColumnOf } from '../../privacy/read/catalog';
import { quoteIdent } from '../../privacy/read/sql';
import { ERASED } from '../data-subject-requests/data-subject-request.service';
import { erasureCompletedMessage } from '../data-subject-requests/request-messages';
import { NotificationKind } from '../notifications/notification.entity';
import { auditConfig } from '../../platform/config';
import { auditKeyObject } from '../../platform/audit/audit-hash';
import { type AuditExpiry, chainsWithExpiredEvents, countExpiredPrefix, retireChainBatch, retirePartition } from '../../platform/audit/retirement';
import { auditPartitionKey, partitionsBefore } from '../../platform/audit/partitions';

export interface RetentionOptions {
  /** The date the job runs as of (`--as-of`); the real time otherwise. */
  now?: Date;
  dryRun?: boolean;
  batchSize?: number;
  log?: (line: string) => void;
  /** The key the audit chains are hashed with; AUDIT_KEY by default. */
  auditKey?: string;
}

export interface RetentionSummary {
  dryRun: boolean;
  /** Tenants whose last lease has ended (it was ended ahead of its date): now FORMER as of that end. */
  tenanciesEnded: number;
  /** Home seekers whose registration was not renewed for a year: now FORMER. */
  registrationsEnded: number;
  /** Erasures held back by a lease, completed now that the last lease has ended. */
  erasuresCompleted: number;
  tenantsAnonymised: number;
  invoicesDeleted: number;
  /** Rows deleted per policy type whose retention says `delete`. */
  deleted: Record<string, number>;
  batches: number;
}

/** `now` minus a declared period. */
export function periodBefore(now: Date, period: Retention['period']): Date {
  const cutoff = new Date(now);
  if ('years' in period) cutoff.setUTCFullYear(cutoff.getUTCFullYear() - period.years);
  else cutoff.setUTCMonth(cutoff.getUTCMonth() - period.months);
  return cutoff;
}

/** The retention the policy declares for a type; a table with personal data without one fails here. */
function retentionOf(type: string): Retention {
  const retention = compiled.tableOf.get(type)?.rule.retention;
  if (!retention) throw new Error(`the policy declares no retention for ${type}`);
  return retention;
}

/** The moment before which a deregistration is old enough for anonymisation. */
export function deregistrationCutoff(now: Date): Date {
  return periodBefore(now, retentionOf('Tenant').period);
}

/** Rows of this fiscal year and earlier are past a fiscal period of `years`. */
function lastExpiredFiscalYear(now: Date, years: number): number {
  return now.getUTCFullYear() - years - 1;
}

const DUE_TENANTS = `FROM tenant WHERE status = 'FORMER' AND anonymized_at IS NULL AND deregistered_at < $1`;
/** A registration runs a year from its start or last renewal, as long as the tenant's own retention period. */
const LAPSED_REGISTRATIONS = `FROM tenant WHERE status = 'HOME_SEEKER' AND anonymized_at IS NULL AND COALESCE(registration_renewed_at, registered_at) < $1`;
/** Tenants still ACTIVE whose every lease ended before the job's date: `endLease` ahead of the date leaves them to this job. */
const ENDED_TENANCIES = `FROM tenant t WHERE t.status = 'ACTIVE' AND t.anonymized_at IS NULL
  AND EXISTS (SELECT 1 FROM lease l WHERE l.tenant_id = t.id)
  AND NOT EXISTS (SELECT 1 FROM lease l WHERE l.tenant_id = t.id AND (l.end_date IS NULL OR l.end_date >= $1::date))`;
/** Held-back erasures whose tenant has no lease running on the job's date. */
const HELD_ERASURES = `FROM data_subject_request r WHERE r.awaiting_lease_end AND NOT EXISTS (
  SELECT 1 FROM lease l WHERE l.tenant_id = r.tenant_id AND (l.end_date IS NULL OR l.end_date >= $1::date))`;

/** A delete rule of the policy as SQL: the due rows of the table, given the job's date. */
interface DeleteRule {
  type: string;
  table: string;
  due: string;
  param: unknown;
}

/** Every `delete` retention of the policy, children before the rows they reference (the reverse of declaration order). */
function deleteRules(m: EntityManager | DataSource, now: Date): DeleteRule[] {
  const connection = 'connection' in m ? m.connection : m;
  return [...compiled.tables].reverse().flatMap((t): DeleteRule[] => {
    const r = t.rule.retention;
    // The audit trail's expiry retires chain prefixes with a keyed marker (below), not a plain delete.
    if (!r || r.action !== 'delete' || t.name === 'AuditEvent') return [];
    if (r.clock.kind === 'subject') throw new Error(`${t.name}: a deletion needs a clock of the row's own`);
    const column = `${t.table}.${quoteIdent(storedColumnOf(connection, t.name, r.clock.field))}`;
    if (r.clock.kind === 'fiscalYear') {
      const years = 'years' in r.period ? r.period.years : Math.ceil(r.period.months / 12);
      // A date, a time or a `YYYY-MM` period: its first four characters are the fiscal year.
      return [{ type: t.name, table: t.table, due: `CAST(substr(CAST(${column} AS text), 1, 4) AS int) <= $1`, param: lastExpiredFiscalYear(now, years) }];
    }
    return [{ type: t.name, table: t.table, due: `${column} < $1`, param: periodBefore(now, r.period) }];
  });
}

/** Rows another row still references (a lease of a kept arrears case) wait for it: the foreign keys, from the catalog. */
async function notReferenced(m: EntityManager | DataSource, table: string): Promise<string> {
  const refs: { child: string; column: string }[] = await m.query(
    `SELECT c.conrelid::regclass::text AS child, a.attname AS column FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     WHERE c.contype = 'f' AND c.confrelid = $1::regclass AND c.confdeltype <> 'c'`,
    [table],
  );
  return refs.map((r) => ` AND NOT EXISTS (SELECT 1 FROM ${quoteIdent(r.child)} x WHERE x.${quoteIdent(r.column)} = ${table}.id)`).join('');
}

/** Runs `work` in transactional batches until a batch finds nothing; returns the rows done. */
async function inBatches(dataSource: DataSource, summary: RetentionSummary, work: (m: EntityManager) => Promise<number>, progress: (n: number) => void): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await dataSource.transaction(work);
    if (!done) return total;
    total += done;
    summary.batches++;
    progress(total);
  }
}

/**
 * Enforces the retention the policy declares, as of `now`: deregisters tenants whose last lease has
 * ended (as of that end), ends registrations not renewed for a year, completes erasures held back by a lease that has since ended (the tenant is told), anonymises
 * people deregistered longer than their period ago (every personal field of every table about them
 * by its declared masking, their links to a dwelling cut), and deletes the rows whose declared period
 * has passed (invoices, leases and closed arrears cases at their fiscal date). Each batch is one
 * transaction, so an interruption leaves whole batches done and the rest untouched; a second run
 * finds nothing left (idempotent).
 */
export async function runRetention(dataSource: DataSource, options: RetentionOptions = {}): Promise<RetentionSummary> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 500;
  const log = options.log ?? (() => undefined);
  const cutoff = deregistrationCutoff(now);
  const auditRetention = retentionOf('AuditEvent');
  if (auditRetention.clock.kind !== 'date') throw new Error('AuditEvent: its retention needs a clock of the event\'s own');
  const auditExpiry: AuditExpiry = {
    column: storedColumnOf(dataSource, 'AuditEvent', auditRetention.clock.field), before: periodBefore(now, auditRetention.period),
  };
  const count = async (from: string, param: unknown) => (await dataSource.query(`SELECT count(*)::int AS n ${from}`, [param]))[0].n as number;
  const rules = deleteRules(dataSource, now);
  const unreferenced = new Map<string, string>();
  for (const rule of rules) unreferenced.set(rule.table, await notReferenced(dataSource, rule.table));
  const dueOf = (rule: DeleteRule) => `FROM ${rule.table} WHERE ${rule.due}${unreferenced.get(rule.table)}`;

  const summary: RetentionSummary = {
    dryRun: Boolean(options.dryRun), tenanciesEnded: 0, registrationsEnded: 0, erasuresCompleted: 0, tenantsAnonymised: 0, invoicesDeleted: 0, deleted: {}, batches: 0,
  };
  const today = now.toISOString().slice(0, 10);
  const tenancies = await count(ENDED_TENANCIES, today);
  const lapsed = await count(LAPSED_REGISTRATIONS, cutoff);
  const held = await count(HELD_ERASURES, today);
  const tenantsDue = await count(DUE_TENANTS, cutoff);
  log(`retention as of ${now.toISOString()}: ${tenancies} tenants whose last lease has ended, ${lapsed} registrations not renewed since ${cutoff.toISOString().slice(0, 10)}, ${held} held-back erasures whose last lease has ended, ` +
    `${tenantsDue} people deregistered before ${cutoff.toISOString().slice(0, 10)}${options.dryRun ? ' (dry run: nothing changes)' : ''}`);
  if (options.dryRun) {
    // Registrations that lapse and tenancies that end now count among the due only once deregistered.
    Object.assign(summary, { tenanciesEnded: tenancies, registrationsEnded: lapsed, erasuresCompleted: held, tenantsAnonymised: tenantsDue });
    for (const rule of rules) {
      const n = await count(dueOf(rule), rule.param);
      summary.deleted[rule.type] = n;
      log(`${rule.type}: ${n} rows past their retention`);
    }
    summary.invoicesDeleted = summary.deleted.Invoice ?? 0;
    summary.deleted.AuditEvent = await countExpiredPrefix(dataSource, auditExpiry);
    log(`AuditEvent: ${summary.deleted.AuditEvent} events past their retention, in expired chain prefixes`);
    return summary;
  }

  summary.tenanciesEnded = await inBatches(dataSource, summary, async (m) => {
    const rows: { id: string; ended: string }[] = await m.query(
      `SELECT t.id, (SELECT max(l.end_date)::text FROM lease l WHERE l.tenant_id = t.id) AS ended ${ENDED_TENANCIES}
       ORDER BY t.id LIMIT $2 FOR UPDATE OF t SKIP LOCKED`, [today, batchSize],
    );
    // Deregistered as of the day the last lease ended, so that retention counts its year from then.
    const byEnd = new Map<string, string[]>();
    for (const r of rows) byEnd.set(r.ended, [...(byEnd.get(r.ended) ?? []), r.id]);
    const writer = ScopedWriter.forJob(m, 'retention');
    for (const [ended, ids] of byEnd) await writer.updateAllAsJob('Tenant', ids, { status: 'FORMER', deregisteredAt: new Date(`${ended}T00:00:00Z`) });
    return rows.length;
  }, (n) => log(`tenancies ended: ${n}/${tenancies}`));

  summary.registrationsEnded = await inBatches(dataSource, summary, async (m) => {
    const ids = (await m.query(`SELECT id ${LAPSED_REGISTRATIONS} ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`, [cutoff, batchSize])).map((r: { id: string }) => r.id);
    if (ids.length) await ScopedWriter.forJob(m, 'retention').updateAllAsJob('Tenant', ids, { status: 'FORMER', deregisteredAt: now });
    return ids.length;
  }, (n) => log(`registrations ended: ${n}/${lapsed}`));

  summary.erasuresCompleted = await inBatches(dataSource, summary, async (m) => {
    const requests: { id: string; tenant_id: string; received_at: Date }[] = await m.query(
      `SELECT r.id, r.tenant_id, r.received_at ${HELD_ERASURES} ORDER BY r.id LIMIT $2 FOR UPDATE SKIP LOCKED`, [today, batchSize],
    );
    if (!requests.length) return 0;
    const writer = ScopedWriter.forJob(m, 'retention');
    const tenantIds = [...new Set(requests.map((r) => r.tenant_id))];
    await writer.mask(tenantIds);
    await writer.updateAllAsJob('Tenant', tenantIds, { anonymizedAt: now });
    await writer.updateAllAsJob('DataSubjectRequest', requests.map((r) => r.id), { awaitingLeaseEnd: false, outcome: ERASED });
    // The tenant is told, as of any resolved request (POLICY.md "Data subject requests"): after the masking, so the message stays.
    for (const r of requests) {
      await writer.insertAsJob('Notification', r.tenant_id, { kind: NotificationKind.REQUEST_PROGRESS, message: erasureCompletedMessage(r.received_at) });
    }
    return requests.length;
  }, (n) => log(`held-back erasures completed: ${n}/${held}`));

  summary.tenantsAnonymised = await inBatches(dataSource, summary, async (m) => {
    const ids = (await m.query(`SELECT id ${DUE_TENANTS} ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`, [cutoff, batchSize])).map((r: { id: string }) => r.id);
    if (!ids.length) return 0;
    const writer = ScopedWriter.forJob(m, 'retention');
    await writer.mask(ids);
    await writer.updateAllAsJob('Tenant', ids, { anonymizedAt: now });
    return ids.length;
  }, (n) => log(`tenants anonymised: ${n}/${tenantsDue}`));

  for (const rule of rules) {
    const due = await count(dueOf(rule), rule.param);
    summary.deleted[rule.type] = await inBatches(dataSource, summary, async (m) => {
      const ids = (await m.query(`SELECT id ${dueOf(rule)} ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`, [rule.param, batchSize])).map((r: { id: string }) => r.id);
      return ids.length ? ScopedWriter.forJob(m, 'retention').deleteAsJob(rule.type, ids) : 0;
    }, (n) => log(`${rule.type === 'Invoice' ? 'invoices' : rule.type} deleted: ${n}/${due}`));
  }
  summary.invoicesDeleted = summary.deleted.Invoice ?? 0;

  // The audit trail last: each chain's expired prefix, retired under a keyed marker `audit:verify` accepts.
  const auditOptions = { key: auditKeyObject(options.auditKey ?? auditConfig().key), expiry: auditExpiry, now, batchSize };
  summary.deleted.AuditEvent = 0;
  // Whole months first, dropped as partitions when partitioned by the policy's clock; what is left
  // (a month some chain does not start cleanly in, events in the default partition) row by row.
  if (await auditPartitionKey(dataSource) === auditExpiry.column) {
    for (const partition of await partitionsBefore(dataSource, auditExpiry.before)) {
      const retired = await dataSource.transaction((m) => retirePartition(m, partition, auditOptions));
      if (retired === null) {
        log(`audit events of ${partition.events}: not a whole prefix of every chain in it; retired row by row`);
        break;
      }
      summary.deleted.AuditEvent += retired;
      summary.batches++;
      log(`audit events of ${partition.events} retired: ${retired}, partition dropped`);
    }
  }
  for (const chain of await chainsWithExpiredEvents(dataSource, auditExpiry)) {
    summary.deleted.AuditEvent += await inBatches(dataSource, summary, (m) => retireChainBatch(m, chain, auditOptions),
      (n) => log(`audit events of chain ${chain} retired: ${n}`));
  }
  log(`retention done: ${summary.tenanciesEnded} tenancies ended, ${summary.registrationsEnded} registrations ended, ${summary.erasuresCompleted} erasures completed, ` +
    `${summary.tenantsAnonymised} tenants anonymised, ${summary.invoicesDeleted} invoices deleted in ${summary.batches} batches`);
  return summary;
}
