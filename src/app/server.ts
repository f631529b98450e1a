import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { DataSource } from 'typeorm';
import { auditPlugin } from '../platform/audit/audit-plugin';
import { AuditTrail } from '../platform/audit/audit-trail';
import { AuditSink, createAuditWriter } from '../platform/audit/audit-writer';
import { authenticate } from '../platform/auth/authenticate';
import { formatError } from '../platform/errors';
import type { Config } from '../platform/config';
import type { AppContext } from '../privacy/context';
import { queryProtection } from '../platform/http/armor';
import { ContextFactory, handleGraphQL } from '../platform/http/graphql-route';
import { databasePing, handleHealth, HEALTH_PATHS } from '../platform/http/health';
import { closePreHandlers, defaultPreHandlers } from '../platform/http/pre-handlers';
import { header, PreHandler, requestInfo, RequestInfo, sendError, setResponseHeaders } from '../platform/http/request';
import { apolloLogger, currentLogger, errorFields, logger, Logger } from '../platform/logging/logger';
import { requestLogPlugin, serveWithRequestLog } from '../platform/logging/request-log';
import { catalogOf } from '../privacy/read/catalog';
import { ScopedReader } from '../privacy/read/scoped-reader';
import { buildProtectedSchema, RuleApplier } from './schema';

export interface App {
  apollo: ApolloServer<AppContext>;
  http: Server;
  url: string;
  /** GraphQL requests being answered now. */
  graphqlRunning(): number;
  stop(): Promise<void>;
}


export interface ServerOptions {
  /** Where audit events go; the keyed hash chains, checkpointed, by default. */
  auditSink?: AuditSink;
  /** How the field rules are applied; both enforce the same rules (tests compare them). */
  rules?: RuleApplier;
  preHandlers?: PreHandler[];
  /** Where the JSON log lines go; the process's logger by default. */
  log?: Logger;
}

/** How long `stop()` lets requests in flight finish before it cuts their connections. */
export const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Starts the GraphQL API on `/graphql`, `/healthz` and `/readyz`: every field behind the policy's
 * rules, every response with personal data audited first.
 */
export async function startServer(config: Config, dataSource: DataSource, options: ServerOptions = {}): Promise<App> {
  catalogOf(dataSource); // fails at start-up when the policy names a column the entities lack
  const sink = options.auditSink ?? createAuditWriter(dataSource, config.audit);
  const app = await assembleServer(config, dataSource, {
    schema: await buildProtectedSchema(options.rules),
    plugins: [auditPlugin(sink)],
    preHandlers: options.preHandlers,
    log: options.log,
  });
  sink.watchRequests?.(app.graphqlRunning);
  const stopServing = app.stop;
  // Our audit writer closes (final checkpoint, connection) after the last request in flight has stored its event; a given sink is the caller's.
  return { ...app, stop: async () => { await stopServing(); if (!options.auditSink) await sink.close?.(); } };
}

export interface ServerParts {
  schema: GraphQLSchema;
  /** Apollo plugins on top of the request log, the query limits and the landing page. */
  plugins: ApolloServerPlugin<AppContext>[];
  preHandlers?: PreHandler[];
  log?: Logger;
}

/**
 * The server's composition around a schema. `startServer` is the only caller in the application,
 * and it always passes the protected schema and the audit plugin; the benchmark assembles its
 * unprotected comparison from the same parts, so the two differ by the rule layer alone.
 */
export async function assembleServer(config: Config, dataSource: DataSource, parts: ServerParts): Promise<App> {
  const log = parts.log ?? logger;
  const protection = queryProtection(config);
  const apollo = new ApolloServer<AppContext>({
    schema: parts.schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: config.production,
    introspection: !config.production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // One cache of query texts shared by all callers would tell an anonymous caller what others asked.
    persistedQueries: false,
    validationRules: protection.validationRules,
    parseOptions: protection.parseOptions,
    logger: apolloLogger(log),
    plugins: [
      requestLogPlugin(),
      ...protection.plugins,
      ...parts.plugins,
      // No cache hints are used; the default plugin would wrap every field to look for them.
      ApolloServerPluginCacheControlDisabled(),
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  const context: ContextFactory<AppContext> = async (req, info) => {
    const viewer = authenticate({ authorization: header(req, 'authorization'), purpose: header(req, 'x-purpose') }, config.jwt, req);
    return { viewer, reader: new ScopedReader(dataSource, viewer), dataSource, requestId: info.id, audit: new AuditTrail() };
  };
  const preHandlers = parts.preHandlers ?? defaultPreHandlers(config);

  let graphqlRunning = 0;
  const route = async (req: IncomingMessage, res: ServerResponse, info: RequestInfo) => {
    for (const pre of preHandlers) if (await pre(req, res, info)) return;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/graphql') {
      graphqlRunning++;
      try {
        return await handleGraphQL(apollo, context, req, res, info);
      } finally {
        graphqlRunning--;
      }
    }
    if (HEALTH_PATHS.has(path)) return handleHealth(path, req, res, info, databasePing(dataSource));
    sendError(res, 404, 'NOT_FOUND', 'Not found', info);
  };

  const http = createServer((req, res) => {
    const info = requestInfo(req);
    setResponseHeaders(res, info);
    serveWithRequestLog(log, req, res, info, () =>
      route(req, res, info).catch((error) => {
        currentLogger().error(errorFields(error), 'request failed');
        sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error', info);
      }),
    );
  });
  await new Promise<void>((resolve) => http.listen(config.port, resolve));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    apollo,
    http,
    url: `http://localhost:${port}/graphql`,
    graphqlRunning: () => graphqlRunning,
    /** Stops accepting, lets requests in flight finish (up to SHUTDOWN_GRACE_MS), then closes. */
    async stop() {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      const cut = setTimeout(() => http.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(cut);
      await apollo.stop();
      if (!parts.preHandlers) await closePreHandlers(preHandlers); // ours to close (Redis); given ones belong to the caller
    },
  };
}
