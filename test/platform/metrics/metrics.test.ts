/**
 * Prometheus metrics on METRICS_PORT: requests by operation, role, purpose and status, latency,
 * audit events and failures, the audit queue, the database pools, rate-limit and trusted-document
 * refusals — and never a personal value, a tenant id or a name a caller made up.
 */
import { createHash } from 'node:crypto';
import { asStaff, config, productionConfig, startTestApp, TestApp, tokens } from '../../support/app';
import { clientOperation } from '../../support/clients';
import { findFixtures, Fixtures } from '../../support/fixtures';
import { ServerMetrics } from '../../../src/platform/metrics/metrics';
import type { Config } from '../../../src/platform/config';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  return text.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    return { name: match[1], labels, value: Number(match[3]) };
  });
}

/** The value of the one series with these labels (a subset of its labels); 0 when there is none yet. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found.reduce((sum, s) => sum + s.value, 0);
}

async function scrape(t: TestApp): Promise<{ text: string; samples: Sample[] }> {
  const res = await fetch(t.app.metricsUrl!);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return { text, samples: parse(text) };
}

const withMetrics = (base: Config = config, overrides: Partial<Config> = {}): Config => ({ ...base, metricsPort: 0, ...overrides });

describe('labels come from closed sets', () => {
  test('an unknown operation, role, purpose or error code is folded, never copied', async () => {
    const metrics = new ServerMetrics({ operations: ['MyProfile'] });
    metrics.requestDone({ path: '/graphql', status: 200, durationMs: 3, operationName: 'MyProfile', role: 'tenant' });
    metrics.requestDone({
      path: '/graphql', status: 200, durationMs: 3, operationName: 'Jansen_0612345678', role: 'root', purpose: 'CURIOSITY', errorCodes: ['jansen@example.nl', 'FORBIDDEN'],
    });
    metrics.requestDone({ path: '/tenants/9b2f0c1e', status: 404, durationMs: 1 });
    metrics.trustedDocumentRefused('<script>');
    const text = await metrics.registry.metrics();
    for (const leaked of ['Jansen', '0612345678', 'root', 'CURIOSITY', 'jansen@example.nl', '9b2f0c1e', '<script>']) expect(text).not.toContain(leaked);
    const samples = parse(text);
    expect(valueOf(samples, 'mijande_http_requests_total', { operation: 'MyProfile', role: 'tenant', purpose: 'none', status: '200' })).toBe(1);
    expect(valueOf(samples, 'mijande_http_requests_total', { operation: 'other', role: 'none', purpose: 'none' })).toBe(1);
    expect(valueOf(samples, 'mijande_http_requests_total', { path: 'other', operation: 'none', status: '404' })).toBe(1);
    expect(valueOf(samples, 'mijande_graphql_errors_total', { code: 'FORBIDDEN' })).toBe(1);
    expect(valueOf(samples, 'mijande_graphql_errors_total', { code: 'other' })).toBe(1);
    expect(valueOf(samples, 'mijande_trusted_document_refusals_total', { code: 'other' })).toBe(1);
  });

  test('an aborted request is counted as aborted, with its latency', async () => {
    const metrics = new ServerMetrics({ operations: [] });
    metrics.requestDone({ path: '/graphql', status: undefined, durationMs: 1500 });
    const samples = parse(await metrics.registry.metrics());
    expect(valueOf(samples, 'mijande_http_requests_total', { status: 'aborted' })).toBe(1);
    expect(valueOf(samples, 'mijande_http_request_duration_seconds_bucket', { path: '/graphql', le: '1' })).toBe(0);
    expect(valueOf(samples, 'mijande_http_request_duration_seconds_bucket', { path: '/graphql', le: '2.5' })).toBe(1);
  });
});

describe('METRICS_PORT', () => {
  let fx: Fixtures;
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: withMetrics() });
    fx = await findFixtures(t.dataSource);
  });
  afterAll(() => t?.close());

  test('unset: no metrics listener, and the API port never serves /metrics', async () => {
    const off = await startTestApp();
    try {
      expect(off.app.metricsUrl).toBeUndefined();
      expect((await fetch(off.app.url.replace('/graphql', '/metrics'))).status).toBe(404);
      expect((await fetch(t.app.url.replace('/graphql', '/metrics'))).status).toBe(404);
    } finally {
      await off.close();
    }
  });

  test('counts requests by operation, role, purpose and status, with their latency and audit events', async () => {
    const before = (await scrape(t)).samples;
    const profile = clientOperation('tenant-app.graphql', 'MyProfile');
    const tenant = { token: tokens.tenant(fx.tenantId) };
    for (let i = 0; i < 3; i++) expect((await t.gql(profile, undefined, tenant)).status).toBe(200);
    const orders = await t.gql('{ workOrders(first: 5) { edges { node { id tenant { id phone } } } } }', undefined, asStaff('REPAIRS'));
    expect(orders.data.workOrders.edges.length).toBeGreaterThan(0);
    const { samples } = await scrape(t);
    const delta = (name: string, labels: Record<string, string>) => valueOf(samples, name, labels) - valueOf(before, name, labels);

    expect(delta('mijande_http_requests_total', { path: '/graphql', operation: 'MyProfile', role: 'tenant', purpose: 'none', status: '200' })).toBe(3);
    // An operation without a name of the apps' is "other"; the staff member's purpose is its own label.
    expect(delta('mijande_http_requests_total', { path: '/graphql', operation: 'other', role: 'staff', purpose: 'REPAIRS', status: '200' })).toBe(1);
    expect(delta('mijande_http_request_duration_seconds_count', { path: '/graphql', operation: 'MyProfile' })).toBe(3);
    expect(delta('mijande_http_request_duration_seconds_bucket', { path: '/graphql', operation: 'MyProfile', le: '+Inf' })).toBe(3);
    expect(delta('mijande_http_request_duration_seconds_sum', { path: '/graphql', operation: 'MyProfile' })).toBeGreaterThan(0);
    // Each of the four responses carried personal data: one stored event each.
    expect(delta('mijande_audit_events_total', {})).toBe(4);
    expect(delta('mijande_audit_failures_total', {})).toBe(0);
  });

  test('a missing X-Purpose is counted with its error code', async () => {
    const before = (await scrape(t)).samples;
    const res = await t.gql('{ workOrders(first: 1) { edges { node { id } } } }', undefined, { token: tokens.staff('REPAIRS') });
    const code = String(res.errors?.[0]?.extensions?.code);
    const { samples } = await scrape(t);
    expect(valueOf(samples, 'mijande_graphql_errors_total', { operation: 'other', code }) - valueOf(before, 'mijande_graphql_errors_total', { operation: 'other', code })).toBe(1);
  });

  test('the pools, the audit queue and the process are there', async () => {
    const { samples } = await scrape(t);
    for (const pool of ['queries', 'audit']) {
      for (const name of ['mijande_db_pool_connections_in_use', 'mijande_db_pool_connections_idle', 'mijande_db_pool_waiting']) {
        expect(samples.some((s) => s.name === name && s.labels.pool === pool)).toBe(true);
      }
    }
    // The audit writer keeps its one connection open from the start.
    expect(valueOf(samples, 'mijande_db_pool_connections_idle', { pool: 'audit' }) + valueOf(samples, 'mijande_db_pool_connections_in_use', { pool: 'audit' })).toBe(1);
    expect(valueOf(samples, 'mijande_db_pool_waiting', { pool: 'queries' })).toBe(0);
    expect(samples.find((s) => s.name === 'mijande_audit_queue_depth')?.value).toBe(0);
    expect(samples.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
  });

  test('no personal value, no tenant id and no made-up name reaches the scrape', async () => {
    const profile = await t.gql(clientOperation('tenant-app.graphql', 'MyProfile'), undefined, { token: tokens.tenant(fx.tenantId) });
    const me = profile.data.myProfile;
    await t.gql('query Jansen_0612345678 { __typename }');
    const ids: { id: string }[] = await t.dataSource.query('SELECT id FROM tenant');
    const { text } = await scrape(t);
    for (const value of [me.firstName, me.lastName, me.email, me.phone, me.iban, 'Jansen_0612345678', ...ids.map((r) => r.id)]) {
      if (value) expect(text).not.toContain(value);
    }
  });
});

describe('refusals and failures', () => {
  test('a request past the rate limit is counted by how its caller was counted', async () => {
    const t = await startTestApp({ config: withMetrics(config, { rateLimit: { ...config.rateLimit, anonymousPerMinute: 1 } }) });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await t.gql('{ __typename }')).status);
      expect(statuses).toEqual([200, 429, 429]);
      const { samples } = await scrape(t);
      expect(valueOf(samples, 'mijande_rate_limit_refusals_total', { caller: 'address' })).toBe(2);
      expect(valueOf(samples, 'mijande_rate_limit_refusals_total', { caller: 'subject' })).toBe(0);
      expect(valueOf(samples, 'mijande_http_requests_total', { path: '/graphql', status: '429' })).toBe(2);
    } finally {
      await t.close();
    }
  });

  test('in production, a document no app sends is refused and counted; a listed one is counted by its name', async () => {
    const t = await startTestApp({ config: withMetrics(productionConfig({ RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000' })) });
    try {
      expect((await t.gql('{ __typename }')).status).toBe(400);
      const statement = clientOperation('public.graphql', 'CurrentPrivacyStatement');
      const res = await fetch(t.app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ documentId: `sha256:${createHash('sha256').update(statement).digest('hex')}`, operationName: 'CurrentPrivacyStatement' }),
      });
      expect(res.status).toBe(200);
      const { samples } = await scrape(t);
      expect(valueOf(samples, 'mijande_trusted_document_refusals_total', { code: 'PERSISTED_QUERY_NOT_IN_LIST' })).toBe(1);
      expect(valueOf(samples, 'mijande_http_requests_total', { operation: 'CurrentPrivacyStatement', role: 'anonymous', status: '200' })).toBe(1);
      expect(valueOf(samples, 'mijande_http_requests_total', { operation: 'other', status: '400' })).toBe(1);
    } finally {
      await t.close();
    }
  });

  test('an audit store that fails is counted, and the response carries no personal data', async () => {
    let appended = 0;
    const failing = { append: async () => { appended++; throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' }); } };
    const t = await startTestApp({ config: withMetrics(), auditSink: failing });
    try {
      const fx = await findFixtures(t.dataSource);
      const res = await t.gql(clientOperation('tenant-app.graphql', 'MyProfile'), undefined, { token: tokens.tenant(fx.tenantId) });
      expect(res.data?.myProfile ?? null).toBeNull();
      expect(appended).toBe(1);
      const { samples } = await scrape(t);
      expect(valueOf(samples, 'mijande_audit_failures_total')).toBe(1);
      expect(valueOf(samples, 'mijande_audit_events_total')).toBe(0);
    } finally {
      await t.close();
    }
  });
});
