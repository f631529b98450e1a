/**
 * The "open" variant of the benchmark: the server assembled from the same parts as the real one
 * (src/server.ts assembleServer: query limits, request log, rate limiter, HTTP route, context,
 * resolvers and their data access), but WITHOUT the rule layer: the bare schema (no field rules)
 * and no audit plugin. It exists only here; nothing in the application's configuration can make
 * `startServer` serve it.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { DataSource } from 'typeorm';
import type { Config } from '../../src/platform/config';
import type { AppContext } from '../../src/privacy/context';
import type { Logger } from '../../src/platform/logging/logger';
import { catalogOf } from '../../src/privacy/read/catalog';
import { App, assembleServer } from '../../src/app/server';
import type { PreHandler } from '../../src/platform/http/request';
import { buildBareSchema } from '../../src/app/schema';

/** The ScopedReader's own statement count, summed over requests while `enabled` (the harness's cross-check). */
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
  const plugins: ApolloServerPlugin<AppContext>[] = probe
    ? [{
        async requestDidStart() {
          if (!probe.enabled) return;
          return {
            async willSendResponse({ contextValue }) {
              if (contextValue?.reader) probe.statements += contextValue.reader.statements;
            },
          };
        },
      }]
    : [];
  return assembleServer(config, dataSource, { schema: await buildBareSchema(), plugins, preHandlers: options.preHandlers, log: options.log });
}
