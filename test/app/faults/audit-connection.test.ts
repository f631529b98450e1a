/**
 * The audit trail always has its connection: the real server on the embedded database (as
 * `npm start` runs it) answers 50 concurrent personal-data requests from its first second, every
 * one 200; the read pool filling up never takes the audit writer's connection. The child always
 * uses the embedded database, whichever database the suite runs on.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { asStaff, config } from '../../support/app';

// Starting the embedded database, migrating and seeding it takes a while on a busy CI machine.
jest.setTimeout(240_000);

const CONCURRENT = 50;

test(`${CONCURRENT} concurrent staff requests in the first second after start are all answered 200`, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mijande-audit-connection-'));
  const main = JSON.stringify(resolve(__dirname, '../../../src/app/main.ts'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SWC_NODE_PROJECT: resolve(__dirname, '../../support/tsconfig.child.json'),
    DATA_DIR: dataDir, SEED: 'true',
    PORT: '0', LOG_LEVEL: 'info', NODE_ENV: 'production',
    JWT_SECRET: config.jwt.secret, JWT_ALLOW_SHARED_SECRET: 'true',
    AUDIT_KEY: 'a-test-audit-key-of-at-least-32-bytes-long',
    AUDIT_CHECKPOINT_DIR: join(dataDir, 'audit-checkpoints'),
    TRUSTED_DOCUMENTS: 'off',
    RATE_LIMIT_PER_MINUTE: '100000',
    OIDC_ISSUER: '', JWT_JWKS_URL: '', METRICS_PORT: '',
  };
  delete env.DATABASE_URL; // the embedded default
  const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', `require(${main})`], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const output: string[] = [];
  child.stdout!.on('data', (d) => output.push(d.toString()));
  try {
    const started = /Mijande privacy API on http:\/\/localhost:(\d+)\/graphql/;
    for (const until = Date.now() + 180_000; Date.now() < until && !started.test(output.join('')) && child.exitCode === null;) await new Promise((r) => setTimeout(r, 100));
    expect(output.join('')).toMatch(started);
    const url = `http://127.0.0.1:${started.exec(output.join(''))![1]}/graphql`;

    const caller = asStaff('PRIVACY');
    // Fired together, at once after the start-up line: the pools are still opening their connections.
    const results = await Promise.all(Array.from({ length: CONCURRENT }, async () => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.token}`, 'x-purpose': caller.purpose! },
        body: JSON.stringify({ query: '{ tenants(first: 20) { edges { node { id lastName email } } } }' }),
      });
      return { status: res.status, body: (await res.json()) as any };
    }));
    expect(results.map((r) => r.status)).toEqual(Array(CONCURRENT).fill(200));
    for (const { body } of results) {
      expect(body.errors).toBeUndefined();
      expect(body.data.tenants.edges.length).toBeGreaterThan(0);
      expect(body.data.tenants.edges[0].node.lastName).toEqual(expect.any(String));
    }
    expect(output.join('')).not.toContain('audit write failed');
  } finally {
    if (child.exitCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});
