/**
 * The real server as production starts it (`src/app/main.ts`, NODE_ENV=production) with WORKERS=N
 * worker processes sharing one port, for `--scale N --workers W`. Its settings are the bench's
 * (benchConfig: the run's token secret, a rate limit the run never reaches, the audit key); its log
 * goes to a file, as a deployment's goes to its journal, so that writing it costs what it costs there.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/platform/config';

export interface ClusterServer {
  url: string;
  stop(): Promise<void>;
}

const STARTED = /Mijande privacy API on http:\/\/localhost:(\d+)\/graphql/g;

export async function startCluster(databaseUrl: string, config: Config, workers: number): Promise<ClusterServer> {
  if (!('secret' in config.jwt) || !config.jwt.secret) throw new Error('--workers: the bench signs its tokens with a shared secret');
  const dir = mkdtempSync(join(tmpdir(), 'mijande-bench-cluster-'));
  const logFile = join(dir, 'server.log');
  const out = openSync(logFile, 'w');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [join(__dirname, '../../src/app/main.js')], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        WORKERS: String(workers),
        DATABASE_URL: databaseUrl,
        PORT: '0',
        SEED: 'false',
        JWT_SECRET: config.jwt.secret,
        JWT_ALLOW_SHARED_SECRET: 'true',
        AUDIT_KEY: config.audit.key,
        AUDIT_CHECKPOINT_DIR: join(dir, 'audit-checkpoints'),
        RATE_LIMIT_PER_MINUTE: String(config.rateLimit.perMinute),
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(config.rateLimit.anonymousPerMinute),
        REDIS_URL: '',
        // As the single-process variant (benchConfig): the operations are sent as text, not by id.
        TRUSTED_DOCUMENTS: config.trustedDocuments,
      },
      stdio: ['ignore', out, 'inherit'],
    });
  } finally {
    closeSync(out);
  }
  const exited = once(child, 'exit');
  const log = () => readFileSync(logFile, 'utf8');
  const until = Date.now() + 120_000;
  let ports: string[] = [];
  while (Date.now() < until && child.exitCode === null) {
    ports = [...log().matchAll(STARTED)].map((m) => m[1]);
    if (ports.length >= workers) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (ports.length < workers) {
    child.kill('SIGKILL');
    throw new Error(`WORKERS=${workers}: ${ports.length} worker(s) started:\n${log().slice(-2000)}`);
  }
  return {
    url: `http://127.0.0.1:${ports[0]}/graphql`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
