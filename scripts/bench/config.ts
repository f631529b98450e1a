import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config, loadConfig } from '../../src/platform/config';

/**
 * The servers' configuration in a bench run: production behaviour (no introspection, no schema
 * details in errors…), but loaded outside production so that production-only secrets need not exist
 * here: the token secret is random per run. The rate limiter stays (in memory) with a budget the run
 * never reaches: one token sends thousands of requests a minute here.
 */
export function benchConfig(): Config {
  return {
    ...loadConfig({
      ...process.env,
      NODE_ENV: 'development',
      PORT: '0',
      JWT_SECRET: randomBytes(32).toString('hex'),
      // The privacy variant checkpoints its chain as the server does, outside the clone: the bench database is dropped.
      AUDIT_CHECKPOINT_DIR: join(tmpdir(), `mijande-bench-audit-checkpoints-${process.pid}`),
      RATE_LIMIT_PER_MINUTE: String(1e9),
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(1e9),
      REDIS_URL: '',
    }),
    production: true,
  };
}
