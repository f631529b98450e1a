/** `/healthz` (alive) and `/readyz` (the database answers `SELECT 1` in time). */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createDataSource } from '../../../src/app/data-source';
import { handleHealth, Ping } from '../../../src/platform/http/health';
import { requestInfo } from '../../../src/platform/http/request';
import { startTestApp, TestApp } from '../../support/app';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp();
  base = new URL(t.app.url).origin;
});
afterAll(() => t?.close());

describe('on the running server', () => {
  test('/healthz is 200 while the process runs', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  test('/readyz is 200 when the database answers', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  test('HEAD works, other methods are 405 with Allow', async () => {
    expect((await fetch(`${base}/healthz`, { method: 'HEAD' })).status).toBe(200);
    const res = await fetch(`${base}/readyz`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    const body = (await res.json()) as any;
    expect(body.errors[0].extensions).toEqual({ code: 'METHOD_NOT_ALLOWED', requestId: res.headers.get('x-request-id') });
  });

  test('an unknown path is a 404 error with the request id', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as any;
    expect(body.errors[0].extensions).toEqual({ code: 'NOT_FOUND', requestId: res.headers.get('x-request-id') });
  });
});

/** `handleHealth` on a bare server, with the ping given. */
async function healthServer(ping: Ping, timeoutMs?: number): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    void handleHealth(path, req, res, requestInfo(req), ping, timeoutMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('readiness when the database does not answer', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  test('a database on a closed port: 503, while /healthz stays 200', async () => {
    const dead = createDataSource({ url: 'postgres://postgres@127.0.0.1:1/x', poolSize: 1 });
    await dead.initialize().catch(() => undefined); // refused: nothing listens on port 1
    const { url, server } = await healthServer(async () => {
      await dead.query('SELECT 1');
    });
    servers.push(server);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable' });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    if (dead.isInitialized) await dead.destroy();
  });

  test('a database that hangs: 503 after the timeout', async () => {
    const { url, server } = await healthServer(() => new Promise<void>(() => undefined), 200);
    servers.push(server);
    const started = Date.now();
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('the database answering again: 200 again', async () => {
    let up = false;
    const { url, server } = await healthServer(async () => {
      if (!up) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    });
    servers.push(server);
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    up = true;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });
});
