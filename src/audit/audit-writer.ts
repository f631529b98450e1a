import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { AuditRecord, ChainedEvent, hashEvent } from './audit-hash';

/** Where a request's audit event goes; `append` resolves only once the event is durably stored. */
export interface AuditSink {
  append(record: AuditRecord): Promise<void>;
}

interface Pending {
  record: AuditRecord;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 500;

/**
 * Appends to this process's own hash chain with group commit: while one INSERT is in flight, the
 * events of concurrent requests queue up and go in the next single statement. Requests never wait
 * on each other's locks, and instances never contend for one chain. A new chain's first event
 * links to the newest event of any chain, so a chain removed whole is caught by the next one.
 */
export class ChainedAuditWriter implements AuditSink {
  private readonly queue: Pending[] = [];
  private draining = false;
  private lastHash: string | null | undefined;
  private seq = 0;
  /** INSERT statements issued: fewer than events under concurrency (group commit). */
  inserts = 0;

  constructor(
    private readonly dataSource: DataSource,
    readonly chain = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
  ) {}

  append(record: AuditRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.write(batch.map((p) => p.record));
          for (const p of batch) p.resolve();
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async write(records: AuditRecord[]): Promise<void> {
    if (this.lastHash === undefined) {
      const [anchor] = await this.dataSource.query('SELECT hash FROM audit_event ORDER BY at DESC, id DESC LIMIT 1');
      this.lastHash = anchor?.hash ?? null;
    }
    let prevHash = this.lastHash ?? null;
    let seq = this.seq;
    const events = records.map((record) => {
      const event: ChainedEvent = { ...record, chain: this.chain, seq: ++seq, at: new Date().toISOString(), prevHash };
      const hash = hashEvent(event);
      prevHash = hash;
      return { ...event, hash };
    });
    this.inserts++;
    await this.dataSource.query(
      `INSERT INTO audit_event (chain, seq, at, actor_sub, role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash)
       SELECT chain, seq, at, "actorSub", role, "orgId", purpose, operation, "tenantIds", fields, "prevHash", hash
       FROM jsonb_to_recordset($1::jsonb) AS x(chain text, seq bigint, at timestamptz, "actorSub" text, role text,
         "orgId" uuid, purpose text, operation text, "tenantIds" uuid[], fields text[], "prevHash" text, hash text)`,
      [JSON.stringify(events)],
    );
    // Advance only after the commit: a failed batch leaves the chain where it was.
    this.lastHash = prevHash;
    this.seq = seq;
  }
}
