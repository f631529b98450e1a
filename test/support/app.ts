import 'reflect-metadata';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, Logger } from 'typeorm';
import { Claims, signToken } from '../../src/platform/auth/tokens';
import { Config, loadConfig } from '../../src/platform/config';
import { createDataSource } from '../../src/app/data-source';
import type { Purpose } from '../../src/platform/auth/audiences';
import { App, ServerOptions, startServer } from '../../src/app/server';

/** The real rate limiter runs in every test app, with budgets no suite's hundreds of requests reach. */
export const config = loadConfig({
  RATE_LIMIT_PER_MINUTE: '100000',
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000',
  ...process.env,
  // The test servers' chain checkpoints stay out of the clone's data directory.
  AUDIT_CHECKPOINT_DIR: join(tmpdir(), `mijande-test-audit-checkpoints-${process.pid}`),
  NODE_ENV: 'test',
  PORT: '0',
});

/**
 * A production deployment's configuration (its required secrets set), for tests of what production
 * hides. `TRUSTED_DOCUMENTS: 'off'` lets a test see how production answers operations no app sends.
 */
export function productionConfig(overrides: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({
    NODE_ENV: 'production',
    PORT: '0',
    JWT_SECRET: config.jwt.secret,
    JWT_ALLOW_SHARED_SECRET: 'true',
    // The run's audit key: these servers' events share the run's database, whose chains other
    // suites verify with that key.
    AUDIT_KEY: config.audit.key,
    AUDIT_CHECKPOINT_DIR: config.audit.checkpointDir,
    ...overrides,
  });
}

export interface GqlResult<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; locations?: { line: number; column: number }[]; extensions?: { code?: string; [k: string]: unknown } }[];
  body: any;
}

export interface Caller {
  token?: string;
  purpose?: string;
}

export interface TestApp {
  app: App;
  dataSource: DataSource;
  gql<T = any>(query: string, variables?: Record<string, unknown>, caller?: Caller): Promise<GqlResult<T>>;
  close(): Promise<void>;
}

/** The real server on an ephemeral port, on the run's seeded database; `config` replaces the test configuration. */
export async function startTestApp(options: ServerOptions & { logger?: Logger; config?: Config } = {}): Promise<TestApp> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run through jest (global setup)');
  const dataSource = createDataSource({ url, poolSize: 4, logger: options.logger });
  await dataSource.initialize();
  const app = await startServer(options.config ?? config, dataSource, options);
  return {
    app,
    dataSource,
    async gql(query, variables, caller = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (caller.token) headers.authorization = `Bearer ${caller.token}`;
      if (caller.purpose) headers['x-purpose'] = caller.purpose;
      const res = await fetch(app.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as any;
      return { status: res.status, data: body.data, errors: checkedErrors(body.errors, res.headers.get('x-request-id')), body };
    },
    async close() {
      await app.stop();
      await dataSource.destroy();
    },
  };
}

/**
 * Every error names its request: `extensions.requestId` equals the `x-request-id` header. Checked here
 * for every response a test gets, then left out of `errors` (not of `body`) so that tests compare
 * what an error says, which must not depend on the request.
 */
export function checkedErrors(errors: GqlResult['errors'], requestId: string | null): GqlResult['errors'] {
  return errors?.map((error) => {
    const { requestId: given, ...extensions } = error.extensions ?? {};
    if (!requestId || given !== requestId) {
      throw new Error(`error without the request id ${requestId} in extensions.requestId: ${JSON.stringify(error)}`);
    }
    return { ...error, extensions };
  });
}

export const tokens = {
  tenant: (tenantId: string) => sign({ sub: `tenant-${tenantId.slice(0, 8)}`, role: 'tenant', tenantId }),
  staff: (...purposes: Purpose[]) => sign({ sub: 'employee-1', role: 'staff', purposes }),
  org: (role: 'contractor' | 'builder' | 'bailiff', orgId: string) => sign({ sub: `${role}-user`, role, orgId }),
};

export function sign(claims: Claims, expiresIn = 600): string {
  return signToken(claims, config.jwt, expiresIn);
}

/** A staff caller with the purpose declared. */
export function asStaff(purpose: Purpose): Caller {
  return { token: tokens.staff(purpose), purpose };
}

export function codes(result: GqlResult): string[] {
  return (result.errors ?? []).map((e) => String(e.extensions?.code));
}
