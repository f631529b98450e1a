/**
 * Prometheus metrics (prom-client), served on their own port (`METRICS_PORT`), never on the API's.
 * Every label value comes from a closed set the server defines — operation names of the trusted
 * manifest, roles, purposes, HTTP statuses, error and refusal codes — so no caller can put a
 * personal value, a tenant id or an unbounded number of series into them.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AuditSink } from '../audit/audit-writer';
import { PURPOSES, ROLES } from '../auth/audiences';
import type { RequestOutcome } from '../logging/request-log';

/** Connections of a pg pool, as pg-pool counts them. */
export interface PoolCounts {
  total: number;
  idle: number;
  waiting: number;
}

export interface MetricsOptions {
  /** The operation names a request may be counted under (the trusted manifest's); any other is `other`. */
  operations: readonly string[];
}

const PATHS = new Set(['/graphql', '/healthz', '/readyz']);
const OTHER = 'other';
const NONE = 'none';
/** Error codes are the server's own (`BAD_USER_INPUT`, …); anything else is folded into `other`. */
const ERROR_CODE = /^[A-Z][A-Z_]{0,39}$/;
/** Latency buckets in seconds: most answers take milliseconds; the tail up to the statement timeout. */
const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15];

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly operations: ReadonlySet<string>;
  private readonly roles: ReadonlySet<string> = new Set([...ROLES, 'anonymous']);
  private readonly purposes: ReadonlySet<string> = new Set(PURPOSES);
  private readonly requests: Counter<'path' | 'operation' | 'role' | 'purpose' | 'status'>;
  private readonly latency: Histogram<'path' | 'operation'>;
  private readonly graphqlErrors: Counter<'operation' | 'code'>;
  private readonly auditEvents: Counter;
  private readonly auditFailures: Counter;
  private readonly rateLimited: Counter<'caller'>;
  private readonly untrusted: Counter<'code'>;

  constructor(options: MetricsOptions) {
    this.operations = new Set(options.operations);
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'mijande_http_requests_total',
      help: 'HTTP requests answered, by path, GraphQL operation (a trusted document\'s name, else "other"), role, purpose and HTTP status ("aborted" when the client left first)',
      labelNames: ['path', 'operation', 'role', 'purpose', 'status'],
      registers,
    });
    this.latency = new Histogram({
      name: 'mijande_http_request_duration_seconds',
      help: 'Time from a request\'s arrival to its response going out, by path and GraphQL operation',
      labelNames: ['path', 'operation'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.graphqlErrors = new Counter({
      name: 'mijande_graphql_errors_total',
      help: 'Errors in GraphQL responses, by operation and error code (a partial result counts each code once)',
      labelNames: ['operation', 'code'],
      registers,
    });
    this.auditEvents = new Counter({ name: 'mijande_audit_events_total', help: 'Audit events durably stored', registers });
    this.auditFailures = new Counter({
      name: 'mijande_audit_failures_total',
      help: 'Audit events that could not be stored (their responses carried no personal data)',
      registers,
    });
    this.rateLimited = new Counter({
      name: 'mijande_rate_limit_refusals_total',
      help: 'Requests refused with 429, by how the caller was counted: by its verified token ("subject") or its address ("address")',
      labelNames: ['caller'],
      registers,
    });
    this.untrusted = new Counter({
      name: 'mijande_trusted_document_refusals_total',
      help: 'Requests refused as not a trusted document, by code',
      labelNames: ['code'],
      registers,
    });
  }

  /** Counts one answered request; called once its response has gone out (or its client left). */
  requestDone(outcome: RequestOutcome): void {
    const path = PATHS.has(outcome.path) ? outcome.path : OTHER;
    const operation = path === '/graphql' ? this.operationLabel(outcome.operationName) : NONE;
    const role = typeof outcome.role === 'string' && this.roles.has(outcome.role) ? outcome.role : NONE;
    const purpose = typeof outcome.purpose === 'string' && this.purposes.has(outcome.purpose) ? outcome.purpose : NONE;
    const status = outcome.status === undefined ? 'aborted' : String(outcome.status);
    this.requests.inc({ path, operation, role, purpose, status });
    this.latency.observe({ path, operation }, outcome.durationMs / 1000);
    for (const code of new Set(outcome.errorCodes ?? [])) {
      this.graphqlErrors.inc({ operation, code: ERROR_CODE.test(code) ? code : OTHER });
    }
  }

  auditStored(events = 1): void {
    this.auditEvents.inc(events);
  }

  auditFailed(events = 1): void {
    this.auditFailures.inc(events);
  }

  rateLimitRefused(caller: 'subject' | 'address'): void {
    this.rateLimited.inc({ caller });
  }

  trustedDocumentRefused(code: string): void {
    this.untrusted.inc({ code: ERROR_CODE.test(code) ? code : OTHER });
  }

  /** Audit events handed in and not yet stored, read at each scrape. */
  watchAuditQueue(depth: () => number): void {
    new Gauge({
      name: 'mijande_audit_queue_depth',
      help: 'Audit events waiting to be stored (their responses wait with them)',
      registers: [this.registry],
      collect() {
        this.set(depth());
      },
    });
  }

  /** The connections of each named pool, read at each scrape: in use, idle, and requests waiting for one. */
  watchPools(pools: Record<string, () => PoolCounts | undefined>): void {
    const entries = Object.entries(pools);
    const read = (each: (counts: PoolCounts) => number) => function collect(this: Gauge<'pool'>) {
      for (const [pool, counts] of entries) {
        const now = counts();
        if (now) this.set({ pool }, each(now));
      }
    };
    const registers = [this.registry];
    new Gauge({ name: 'mijande_db_pool_connections_in_use', help: 'Database connections running a statement or held by a transaction, by pool', labelNames: ['pool'], registers, collect: read((c) => c.total - c.idle) });
    new Gauge({ name: 'mijande_db_pool_connections_idle', help: 'Open database connections waiting for work, by pool', labelNames: ['pool'], registers, collect: read((c) => c.idle) });
    new Gauge({ name: 'mijande_db_pool_waiting', help: 'Requests waiting for a database connection, by pool', labelNames: ['pool'], registers, collect: read((c) => c.waiting) });
  }

  private operationLabel(name: unknown): string {
    return typeof name === 'string' && this.operations.has(name) ? name : OTHER;
  }
}

/**
 * The sink with its stored and failed events counted; everything else is the sink's own. The queue
 * depth and the sink's connections are read from it at each scrape.
 */
export function countedAuditSink(sink: AuditSink, metrics: ServerMetrics): AuditSink {
  if (sink.queued) metrics.watchAuditQueue(() => sink.queued!());
  return {
    ...bound(sink),
    append: (record) => sink.append(record).then(
      () => metrics.auditStored(),
      (error: unknown) => {
        metrics.auditFailed();
        throw error;
      },
    ),
  };
}

/** The sink's optional methods, bound to it (a class's methods lose `this` when spread). */
function bound(sink: AuditSink): Omit<AuditSink, 'append'> {
  return {
    close: sink.close?.bind(sink),
    watchRequests: sink.watchRequests?.bind(sink),
    ping: sink.ping?.bind(sink),
    queued: sink.queued?.bind(sink),
    connections: sink.connections?.bind(sink),
  };
}

/** The counts of a pg Pool (pg-pool's public getters). */
export function poolCounts(pool: { totalCount: number; idleCount: number; waitingCount: number } | undefined): PoolCounts | undefined {
  return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : undefined;
}
