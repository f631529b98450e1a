import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Pool, PoolConfig } from 'pg';
import { DataSource } from 'typeorm';
import { PREPARE, PreparingClient } from '../db/prepared-client';
import { logger } from '../logging/logger';
import { AuditRecord, ChainedEvent, hashEvent } from './audit-hash';

/** Where a request's audit event goes; `append` resolves only once the event is durably stored. */
export interface AuditSink {
  append(record: AuditRecord): Promise<void>;
  /** Releases what the sink holds (its connection). */
  close?(): Promise<void>;
}

/**
 * A pool of one connection with the settings of the DataSource's pool (address, credentials, TLS,
 * timeouts). The audit trail writes on its own connection: a request whose reads are done never
 * queues for a read connection behind other requests' reads just to store its event.
 */
function ownConnection(dataSource: DataSource): Pool {
  const shared = (dataSource.driver as unknown as { master: { options: PoolConfig } }).master.options;
  // password and ssl are kept apart: pg-pool makes them non-enumerable, so a spread would drop them.
  // PreparingClient: the INSERT is parsed and planned once per connection, not per batch.
  const pool = new Pool({
    ...shared, password: shared.password, ssl: shared.ssl, max: 1, application_name: 'mijande-audit', Client: PreparingClient,
  });
  // A connection that breaks while idle is dropped by the pool; the next write opens a new one.
  pool.on('error', (error) => logger.warn({ err: error.message }, 'audit connection lost'));
  return pool;
}

interface Pending {
  record: AuditRecord;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 500;

const INSERT_EVENTS = `INSERT INTO audit_event (chain, seq, at, actor_sub, role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash)
  SELECT chain, seq, at, "actorSub", role, "orgId", purpose, operation, "tenantIds", fields, "prevHash", hash
  FROM jsonb_to_recordset($1::jsonb) AS x(chain text, seq bigint, at timestamptz, "actorSub" text, role text,
    "orgId" uuid, purpose text, operation text, "tenantIds" uuid[], fields text[], "prevHash" text, hash text)${PREPARE}`;

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
  private readonly pool: Pool;

  constructor(
    dataSource: DataSource,
    readonly chain = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
  ) {
    this.pool = ownConnection(dataSource);
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  append(record: AuditRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      // Drain after the I/O of this turn of the event loop: requests that finish together share
      // one INSERT (a round trip and a commit each cost about as much CPU as a small read).
      if (this.queue.length === 1 && !this.draining) setImmediate(() => void this.drain());
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
      const { rows: [anchor] } = await this.pool.query('SELECT hash FROM audit_event ORDER BY at DESC, id DESC LIMIT 1');
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
    await this.pool.query(INSERT_EVENTS, [JSON.stringify(events)]);
    // Advance only after the commit: a failed batch leaves the chain where it was.
    this.lastHash = prevHash;
    this.seq = seq;
  }
}
