import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { DataSource } from 'typeorm';
import { formatError } from '../platform/errors';
import type { Config } from '../platform/config';
import type { AppContext } from '../privacy/context';
import { queryProtection } from '../platform/http/armor';
import { corsHandler } from '../platform/http/cors';
import { ContextFactory, handleGraphQL } from '../platform/http/graphql-route';
import { databasePing, handleHealth, HEALTH_PATHS, ReadinessChecks } from '../platform/http/health';
import { closePreHandlers, defaultPreHandlers } from '../platform/http/pre-handlers';
import { PreHandler, requestInfo, RequestInfo, sendError, setResponseHeaders } from '../platform/http/request';
import { apolloLogger, currentLogger, errorFields, logger, Logger } from '../platform/logging/logger';
import { requestLogPlugin, serveWithRequestLog } from '../platform/logging/request-log';
import type { TrustedDocumentManifest, TrustedDocumentRefusalCode } from '../platform/http/trusted-documents';
import type { ServerMetrics } from '../platform/metrics/metrics';
import { trustedDocuments } from './trusted-documents';
import { graphqlIde } from './graphql-ide/graphql-ide';

export interface App {
  apollo: ApolloServer<AppContext>;
  http: Server;
  url: string;
  /** Where Prometheus scrapes this process (`METRICS_PORT`); undefined when off, or in a worker (the primary serves). */
  metricsUrl?: string;
  /** GraphQL requests being answered now. */
  graphqlRunning(): number;
  stop(): Promise<void>;
}

/** How long `stop()` lets requests in flight finish before it cuts their connections. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** What the shell serves: the schema, the Apollo plugins on top of its own, and each request's context. */
export interface Served {
  schema: GraphQLSchema;
  /** Apollo plugins on top of the request log, the query limits and the landing page. */
  plugins: ApolloServerPlugin<AppContext>[];
  context: ContextFactory<AppContext>;
  preHandlers?: PreHandler[];
  log?: Logger;
  /** Called for each request refused as not a trusted document, with its code: where a refusals counter hooks in. */
  onTrustedDocumentRefusal?: (code: TrustedDocumentRefusalCode) => void;
  /** Checks `/readyz` makes besides the database's (the audit store's), by name. */
  readiness?: ReadinessChecks;
  /** Told of every answered request, rate-limit refusal and trusted-document refusal; none without. */
  metrics?: ServerMetrics;
  /** The trusted operations, when the caller has read them already (for the metrics' names); read from the config otherwise. */
  manifest?: TrustedDocumentManifest;
}

/**
 * The HTTP and Apollo shell around a schema: query limits, request log, CORS, pre-handlers (rate
 * limiter), trusted documents (`TRUSTED_DOCUMENTS`), `/graphql` (and GraphiQL there outside
 * production), `/healthz`, `/readyz` and the graceful stop. What it serves (schema, plugins, context)
 * is decided by its caller; server.ts composes the application's.
 */
export async function serveGraphQL(config: Config, dataSource: DataSource, parts: Served): Promise<App> {
  const log = parts.log ?? logger;
  const protection = queryProtection(config);
  const apollo = new ApolloServer<AppContext>({
    schema: parts.schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: config.production,
    introspection: !config.production,
    csrfPrevention: true,
    // main.ts handles SIGTERM and SIGINT once, finishing the requests in flight; Apollo's handler
    // (on with NODE_ENV=production) would stop it underneath and re-send the signal, exiting 143.
    stopOnTerminationSignals: false,
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
      // Apollo's landing pages load from its CDN; outside production GraphiQL is served from the installed package instead.
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  const context = parts.context;
  const metrics = parts.metrics;
  const onRefusal = parts.onTrustedDocumentRefusal;
  const trusted = trustedDocuments(config, parts.manifest, metrics || onRefusal ? (code) => {
    metrics?.trustedDocumentRefused(code);
    onRefusal?.(code);
  } : undefined);
  const preHandlers = parts.preHandlers ?? defaultPreHandlers(config, metrics && ((caller) => metrics.rateLimitRefused(caller)));
  const requestDone = metrics && ((outcome: Parameters<ServerMetrics['requestDone']>[0]) => metrics.requestDone(outcome));
  const cors = corsHandler(config.corsOrigins);
  const ide = graphqlIde(config);

  const readiness: ReadinessChecks = { database: databasePing(dataSource), ...parts.readiness };
  let graphqlRunning = 0;
  const route = async (req: IncomingMessage, res: ServerResponse, info: RequestInfo) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // Before the rate limiter: a preflight is answered without counting, and a 429 carries the CORS headers its app needs to read it.
    if (path === '/graphql' && (await cors(req, res, info))) return;
    for (const pre of preHandlers) if (await pre(req, res, info)) return;
    if (ide && (await ide(req, res, info))) return;
    if (path === '/graphql') {
      graphqlRunning++;
      try {
        return await handleGraphQL(apollo, context, req, res, info, trusted);
      } finally {
        graphqlRunning--;
      }
    }
    if (HEALTH_PATHS.has(path)) return handleHealth(path, req, res, info, readiness);
    sendError(res, 404, 'NOT_FOUND', 'Not found', info);
  };

  const http = createServer((req, res) => {
    const info = requestInfo(req, config.trustProxy);
    setResponseHeaders(res, info);
    serveWithRequestLog(log, req, res, info, () =>
      route(req, res, info).catch((error) => {
        currentLogger().error(errorFields(error), 'request failed');
        sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error', info);
      }),
      requestDone,
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
