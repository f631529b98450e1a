import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Pool, PoolConfig } from 'pg';
import { DataSource } from 'typeorm';
import { PREPARE, PreparingClient } from '../db/prepared-client';
import { errorFields, Logger, logger } from '../logging/logger';
import { auditConfig, AuditConfig } from '../config';
import { AuditKey, auditKeyObject, AuditRecord, hashPrepared, PreparedRecord, prepareRecord } from './audit-hash';
import { AuditCheckpointer, CheckpointerOptions, CheckpointSigner } from './checkpoint';

/** Where a request's audit event goes; `append` resolves only once the event is durably stored. */
export interface AuditSink {
  append(record: AuditRecord): Promise<void>;
  /** Releases what the sink holds (its connection). */
  close?(): Promise<void>;
  /** How many GraphQL requests are running now: a sink may wait for their events to write them together. */
  watchRequests?(running: () => number): void;
  /** Resolves when the sink can store events now; `/readyz` is unready while it rejects. */
  ping?(): Promise<void>;
  /** Events handed in and not yet stored (the metrics' queue depth). */
  queued?(): number;
  /** The sink's own database connections, as pg-pool counts them (the metrics' pool gauges). */
  connections?(): { total: number; idle: number; waiting: number };
}

/**
 * Connections the audit writer holds, open from start to stop. The embedded server's connection
 * limit counts them with the read pool's (src/app/database.ts), so the read pool can never take them.
 */
export const AUDIT_CONNECTIONS = 1;

/**
 * A pool of one connection with the settings of the DataSource's pool (address, credentials, TLS,
 * timeouts). The audit trail writes on its own connection: a request whose reads are done never
 * queues for a read connection behind other requests' reads just to store its event.
 */
function ownConnection(dataSource: DataSource, log: Logger): Pool {
  const shared = (dataSource.driver as unknown as { master: { options: PoolConfig } }).master.options;
  // password and ssl are kept apart: pg-pool makes them non-enumerable, so a spread would drop them.
  // PreparingClient: the INSERT is parsed and planned once per connection, not per batch.
  const pool = new Pool({
    ...shared, password: shared.password, ssl: shared.ssl, max: AUDIT_CONNECTIONS, application_name: 'mijande-audit', Client: PreparingClient,
    // Never closed for being idle: the connection stays the audit trail's, and a quiet spell does not
    // hand its slot on the embedded server to anyone else.
    idleTimeoutMillis: 0,
  });
  // A connection that breaks while idle is dropped by the pool; the next write opens a new one.
  pool.on('error', (error) => log.warn({ check: 'audit', ...errorFields(error) }, 'audit connection lost'));
  // Opened at once, before requests fill the read pool; a failure here shows in /readyz and the next write retries.
  pool.connect().then((client) => client.release(), (error) => log.error({ check: 'audit', ...errorFields(error) }, 'audit connection not opened'));
  return pool;
}

interface Pending {
  record: PreparedRecord;
  resolve: () => void;
  reject: (error: unknown) => void;
  /** performance.now() when it was handed in. */
  since: number;
}

const MAX_BATCH = 500;

/**
 * The longest an event waits for the events of requests still running to share its INSERT. Under
 * load each INSERT then carries several requests' events (each INSERT costs a round trip, a commit
 * and a wake-up of the database process: about as much CPU as a small read); a request running
 * alone is written at once.
 */
export const GATHER_MS = 8;

export interface WriterOptions {
  /** This writer's chain; by default host, process and a random part. */
  chain?: string;
  /** Told of each INSERT the writer issues (fewer than events under concurrency: group commit). */
  onInsert?: () => void;
  gatherMs?: number;
  /** The chain's HMAC key; AUDIT_KEY by default (which production requires). */
  key?: string;
  /** Where the chain's signed heads go (`createAuditWriter` sets it); none without. */
  checkpoints?: Omit<CheckpointerOptions, 'chain' | 'signer'>;
  /** Where the writer's failures are logged; the process's logger by default. */
  log?: Logger;
}

// json, not jsonb: the text is read once, so building jsonb's tree first only costs (about 0.1 ms a
// statement on the embedded database for a page's event of 50 tenants).
const INSERT_EVENTS = `INSERT INTO audit_event (chain, seq, at, actor_sub, role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash)
  SELECT chain, seq, at, "actorSub", role, "orgId", purpose, operation, "tenantIds", fields, "prevHash", hash
  FROM json_to_recordset($1::json) AS x(chain text, seq bigint, at timestamptz, "actorSub" text, role text,
    "orgId" uuid, purpose text, operation text, "tenantIds" uuid[], fields text[], "prevHash" text, hash text)${PREPARE}`;

/**
 * Appends to this process's own hash chain with group commit: while one INSERT is in flight, the
 * events of concurrent requests queue up and go in the next single statement; and, like
 * PostgreSQL's commit_delay with commit_siblings, while other requests are still running an event
 * waits for theirs (at most `gatherMs`). Requests never wait on each other's locks, and instances
 * never contend for one chain. A new chain's first event links to the newest event of any chain,
 * so a chain removed whole is caught by the next one. Each hash is an HMAC with AUDIT_KEY, which
 * the database never sees; with `checkpoints`, the chain's head also goes, signed, to a file and
 * the log, so that events deleted from the end of a chain, or its newest chain, are noticed too.
 */
export class ChainedAuditWriter implements AuditSink {
  private readonly queue: Pending[] = [];
  private draining = false;
  private lastHash: string | null | undefined;
  private seq = 0;
  private readonly onInsert: (() => void) | undefined;
  private readonly pool: Pool;
  private readonly log: Logger;
  readonly chain: string;
  private readonly gatherMs: number;
  private running: () => number = () => 0;
  /** Events of the INSERT in flight: their requests are still running, waiting for it. */
  private writing = 0;
  /** Ends the current wait for others' events early, once none is still to come. */
  private wake: (() => void) | undefined;
  private readonly key: AuditKey;
  readonly checkpointer: AuditCheckpointer | undefined;
  /** The listing of the table's chains for the first checkpoint, in flight. */
  private listed: Promise<void> = Promise.resolve();

  constructor(dataSource: DataSource, options: WriterOptions = {}) {
    this.log = options.log ?? logger;
    this.pool = ownConnection(dataSource, this.log);
    this.chain = options.chain ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.gatherMs = options.gatherMs ?? GATHER_MS;
    this.onInsert = options.onInsert;
    const secret = options.key ?? auditConfig().key;
    this.key = auditKeyObject(secret);
    if (options.checkpoints) {
      this.checkpointer = new AuditCheckpointer({ ...options.checkpoints, chain: this.chain, signer: new CheckpointSigner(secret) });
      this.listed = this.listChains();
    }
  }

  /**
   * The head of every chain the table holds, checkpointed once at start: from then on a chain that
   * is dropped or cut short is noticed, also one of another instance or one written before keys.
   * One index probe per chain (a loose scan of the (chain, seq) key), on the writer's connection.
   */
  private async listChains(): Promise<void> {
    try {
      const rows: { chain: string; seq: string; hash: string }[] = (await this.pool.query(`
        WITH RECURSIVE c AS (
          (SELECT chain FROM audit_event ORDER BY chain LIMIT 1)
          UNION ALL
          SELECT (SELECT e.chain FROM audit_event e WHERE e.chain > c.chain ORDER BY e.chain LIMIT 1) FROM c WHERE c.chain IS NOT NULL)
        SELECT c.chain, h.seq, h.hash FROM c
          CROSS JOIN LATERAL (SELECT seq, hash FROM audit_event e WHERE e.chain = c.chain ORDER BY seq DESC LIMIT 1) h
        WHERE c.chain IS NOT NULL`)).rows;
      await this.checkpointer!.recordChains(rows.map((r) => ({ chain: r.chain, seq: Number(r.seq), hash: r.hash })));
    } catch (error) {
      this.log.warn(errorFields(error), 'audit chains not listed for the checkpoint');
    }
  }

  watchRequests(running: () => number): void {
    this.running = running;
  }

  /** Writes what is queued, a final checkpoint of the head, and releases the connection. */
  async close(): Promise<void> {
    while (this.draining) await new Promise((resolve) => setImmediate(resolve));
    await this.listed;
    await this.checkpointer?.close();
    await this.pool.end();
  }

  /** The writer's own connection answers and the table it appends to is there (no row read). */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1 FROM audit_event WHERE false');
  }

  queued(): number {
    return this.queue.length + this.writing;
  }

  connections(): { total: number; idle: number; waiting: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  append(record: AuditRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record: prepareRecord(record), resolve, reject, since: performance.now() });
      if (this.wake && this.stillToCome() <= 0) this.wake();
      if (this.queue.length === 1 && !this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length) {
        await this.gather();
        const batch = this.queue.splice(0, MAX_BATCH);
        this.writing = batch.length;
        try {
          await this.write(batch.map((p) => p.record));
          for (const p of batch) p.resolve();
        } catch (error) {
          // Once per failed INSERT: the error's class, code and message, never the events' values or the statement's parameters.
          this.log.error({ check: 'audit', events: batch.length, ...errorFields(error) }, 'audit write failed');
          for (const p of batch) p.reject(error);
        } finally {
          this.writing = 0;
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** Requests running that have not handed in their event yet (one without personal data never will). */
  private stillToCome(): number {
    return this.running() - this.queue.length - this.writing;
  }

  /**
   * Waits for the end of this turn of the event loop (requests that finish together share one
   * INSERT; the requests of the last batch leave), then, while other requests are still running,
   * for their events: until none is still to come, the batch is full, or the first event of the
   * batch has waited `gatherMs`.
   */
  private async gather(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const deadline = this.queue[0].since + this.gatherMs;
    for (let left = deadline - performance.now(); left > 0 && this.queue.length < MAX_BATCH && this.stillToCome() > 0; left = deadline - performance.now()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = undefined;
    }
  }

  private async write(records: PreparedRecord[]): Promise<void> {
    if (this.lastHash === undefined) {
      const { rows: [anchor] } = await this.pool.query('SELECT hash FROM audit_event ORDER BY at DESC, id DESC LIMIT 1');
      this.lastHash = anchor?.hash ?? null;
    }
    let prevHash = this.lastHash ?? null;
    let seq = this.seq;
    // One time for the batch: its events are committed together.
    const at = new Date().toISOString();
    const chain = JSON.stringify(this.chain);
    const rows = records.map((record) => {
      const hash = hashPrepared(record, this.chain, ++seq, at, prevHash, this.key);
      const row = `{"chain":${chain},"seq":${seq},"at":"${at}","prevHash":${JSON.stringify(prevHash)},"hash":"${hash}",${record.members}}`;
      prevHash = hash;
      return row;
    });
    this.onInsert?.();
    await this.pool.query(INSERT_EVENTS, [`[${rows.join(',')}]`]);
    // Advance only after the commit: a failed batch leaves the chain where it was.
    this.lastHash = prevHash;
    this.seq = seq;
    this.checkpointer?.advance({ chain: this.chain, seq, hash: prevHash!, at });
  }
}

/** The server's writer: keyed with the configured key, checkpointed to the configured directory. */
export function createAuditWriter(dataSource: DataSource, audit: AuditConfig, options: Omit<WriterOptions, 'key' | 'checkpoints'> = {}): ChainedAuditWriter {
  return new ChainedAuditWriter(dataSource, { ...options, key: audit.key, checkpoints: { dir: audit.checkpointDir } });
}
