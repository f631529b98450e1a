/**
 * SIGTERM: the real server process, in production mode, stops accepting, finishes the requests in
 * flight, and exits 0 (Apollo's own signal handler, on in production, would exit 143 before answering).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asStaff, config } from '../../support/app';
import { TcpProxy, targetOf } from '../../support/tcp-proxy';

let proxy: TcpProxy;
beforeAll(async () => {
  proxy = await new TcpProxy(targetOf(process.env.TEST_DATABASE_URL!)).start();
});
afterAll(() => proxy?.stop());

test('finishes in-flight requests, then exits cleanly', async () => {
  const main = JSON.stringify(resolve(__dirname, '../../../src/app/main.ts'));
  const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', `require(${main})`], {
    env: {
      ...process.env,
      SWC_NODE_PROJECT: resolve(__dirname, '../../support/tsconfig.child.json'),
      DATABASE_URL: proxy.through(process.env.TEST_DATABASE_URL!),
      // Port 0: the system picks a free one (a fixed guess can collide, as 40000–60000 overlaps the
      // ephemeral range of outgoing connections); the start-up line says which.
      PORT: '0', LOG_LEVEL: 'info', NODE_ENV: 'production',
      // Production's requirements, with the tests' HS256 secret so that the tests' tokens verify.
      JWT_SECRET: config.jwt.secret, JWT_ALLOW_SHARED_SECRET: 'true',
      AUDIT_KEY: config.audit.key, // the run's: its chains in the run's database verify with it
      AUDIT_CHECKPOINT_DIR: join(tmpdir(), `mijande-shutdown-checkpoints-${process.pid}`),
      TRUSTED_DOCUMENTS: 'off',
      OIDC_ISSUER: '', JWT_JWKS_URL: '', SEED: '', METRICS_PORT: '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d) => output.push(d.toString()));
  const exited = once(child, 'exit');
  try {
    const started = /Mijande privacy API on http:\/\/localhost:(\d+)\/graphql/;
    for (let i = 0; i < 150 && !started.test(output.join('')); i++) await new Promise((r) => setTimeout(r, 200));
    expect(output.join('')).toMatch(started);

    const caller = asStaff('REPAIRS');
    const url = `http://127.0.0.1:${started.exec(output.join(''))![1]}/graphql`;
    proxy.delayMs = 700; // every database answer now takes 0.7 s: the request below is in flight for a while
    const inFlight = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.token}`, 'x-purpose': caller.purpose! },
      body: JSON.stringify({ query: '{ organizations { id name } }' }),
    });
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM'); // a second signal while stopping changes nothing
    const res = await inFlight;
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.data.organizations.length).toBeGreaterThan(0);

    const [code] = await exited;
    expect(code).toBe(0);
    expect(output.join('')).toContain('shutting down');
    expect(output.join('')).toContain('already shutting down');
    await expect(fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).rejects.toThrow();
  } finally {
    proxy.delayMs = 0;
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}, 60_000);
