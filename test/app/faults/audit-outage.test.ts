/**
 * The audit store fails while the database for reads is fine: a personal-data request is refused
 * (503, nothing personal), the log says why (error class and message, no values), `/readyz` is
 * unready; when the audit store is back, both recover.
 */
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../../src/app/data-source';
import { App, startServer } from '../../../src/app/server';
import { ChainedAuditWriter, createAuditWriter } from '../../../src/platform/audit/audit-writer';
import { createLogger } from '../../../src/platform/logging/logger';
import { asStaff, config } from '../../support/app';
import { findFixtures } from '../../support/fixtures';
import { TcpProxy, targetOf } from '../../support/tcp-proxy';

const lines: string[] = [];
const log = createLogger({ level: 'info', stream: new Writable({ write(chunk, _enc, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done(); } }) });

let proxy: TcpProxy;
let reads: DataSource;
let auditStore: DataSource;
let writer: ChainedAuditWriter;
let app: App;
let tenantId: string;

beforeAll(async () => {
  const url = process.env.TEST_DATABASE_URL!;
  reads = createDataSource({ url, poolSize: 2 });
  await reads.initialize();
  tenantId = (await findFixtures(reads)).tenantId;
  // Only the audit writer's connection goes through the proxy: taking it down fails the audit store alone.
  proxy = await new TcpProxy(targetOf(url)).start();
  auditStore = createDataSource({ url: proxy.through(url), poolSize: 1, timeouts: { connectMs: 1_000, queryMs: 2_000 } });
  await auditStore.initialize();
  writer = createAuditWriter(auditStore, config.audit, { log });
  app = await startServer(config, reads, { auditSink: writer, log });
});

afterAll(async () => {
  await app?.stop();
  await writer?.close().catch(() => undefined);
  await auditStore?.destroy().catch(() => undefined);
  await reads?.destroy();
  await proxy?.stop();
});

const caller = asStaff('PRIVACY');
async function askTenant(): Promise<{ status: number; body: any }> {
  const res = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.token}`, 'x-purpose': caller.purpose! },
    body: JSON.stringify({ query: 'query($id: ID!) { tenant(id: $id) { id lastName email } }', variables: { id: tenantId } }),
  });
  return { status: res.status, body: await res.json() };
}
const readyz = async () => (await fetch(app.url.replace(/\/graphql$/, '/readyz'))).status;
const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, any>);

test('a failing audit store refuses personal data, logs why, and makes /readyz unready until it is back', async () => {
  const before = await askTenant();
  expect(before.status).toBe(200);
  expect(before.body.data.tenant.id).toBe(tenantId);
  expect(await readyz()).toBe(200);
  const lastName: string = before.body.data.tenant.lastName;

  lines.length = 0;
  proxy.down('reset');
  const refused = await askTenant();
  expect(refused.status).toBe(503);
  expect(refused.body.data ?? null).toBeNull();
  expect(refused.body.errors.map((e: any) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
  expect(JSON.stringify(refused.body)).not.toContain(lastName);

  const failures = parsed().filter((l) => l.msg === 'audit write failed');
  expect(failures).toHaveLength(1); // once per failed write
  expect(failures[0]).toMatchObject({ level: 'error', check: 'audit', error: expect.any(String), message: expect.any(String) });
  expect(failures[0].message.length).toBeGreaterThan(0);
  // No values: not the tenant asked for, not the event's fields or the statement's parameters.
  const logged = lines.join('\n');
  expect(logged).not.toContain(tenantId);
  expect(logged).not.toContain(lastName);
  expect(logged).not.toContain('INSERT');

  expect(await readyz()).toBe(503);
  expect(parsed().some((l) => l.msg === 'readiness check failed' && l.check === 'audit' && l.error)).toBe(true);

  proxy.up();
  expect(await readyz()).toBe(200);
  const after = await askTenant();
  expect(after.status).toBe(200);
  expect(after.body.data.tenant.id).toBe(tenantId);
});
