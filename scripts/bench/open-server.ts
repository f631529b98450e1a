/**
 * The "open" variant of the benchmark: the production server's shell (src/app/http-server.ts
 * serveGraphQL: query limits, request log, rate limiter, HTTP route) and its request context
 * (src/app/context.ts: authentication, the ScopedReader), but WITHOUT the rule layer: the bare
 * schema (no entry-point shield, no field guard) and no audit plugin. It is composed only here;
 * nothing in the application's configuration can make `startServer` serve it.
 */
import type { DataSource } from 'typeorm';
import type { Config } from '../../src/platform/config';
import type { Logger } from '../../src/platform/logging/logger';
import { catalogOf } from '../../src/privacy/read/catalog';
import { requestContext } from '../../src/app/context';
import { App, serveGraphQL } from '../../src/app/http-server';
import type { PreHandler } from '../../src/platform/http/request';
import { buildBareSchema } from '../../src/app/schema';

/** The ScopedReader's statements, summed over requests while `enabled` (the harness's cross-check). */
export interface ReaderProbe {
  enabled: boolean;
  statements: number;
}

export interface OpenServerOptions {
  probe?: ReaderProbe;
  preHandlers?: PreHandler[];
  log: Logger;
}

export async function startOpenServer(config: Config, dataSource: DataSource, options: OpenServerOptions): Promise<App> {
  catalogOf(dataSource);
  const probe = options.probe;
  const context = requestContext(config, dataSource, probe ? { onStatement: () => { if (probe.enabled) probe.statements++; } } : {});
  return serveGraphQL(config, dataSource, { schema: await buildBareSchema(), plugins: [], context, preHandlers: options.preHandlers, log: options.log });
}
