import type { DataSource } from 'typeorm';
import { auditPlugin } from '../platform/audit/audit-plugin';
import { AuditSink, createAuditWriter } from '../platform/audit/audit-writer';
import type { Config } from '../platform/config';
import type { PreHandler } from '../platform/http/request';
import type { Logger } from '../platform/logging/logger';
import { exposeMetrics } from '../platform/metrics/metrics-server';
import { countedAuditSink, poolCounts, ServerMetrics } from '../platform/metrics/metrics';
import { catalogOf } from '../privacy/read/catalog';
import { requestContext } from './context';
import { App, Served, serveGraphQL } from './http-server';
import { buildProtectedSchema } from './schema';
import { trustedManifest } from './trusted-documents';

export type { App } from './http-server';

export interface ServerOptions {
  /** Where audit events go; the keyed hash chains, checkpointed, by default. */
  auditSink?: AuditSink;
  preHandlers?: PreHandler[];
  /** Where the JSON log lines go; the process's logger by default. */
  log?: Logger;
  /** Each request refused as not a trusted document, by code (a metrics counter's hook). */
  onTrustedDocumentRefusal?: Served['onTrustedDocumentRefusal'];
}

/**
 * Starts the GraphQL API on `/graphql`, `/healthz` and `/readyz`: every field behind the policy's
 * rules, every response with personal data audited first.
 */
export async function startServer(config: Config, dataSource: DataSource, options: ServerOptions = {}): Promise<App> {
  catalogOf(dataSource); // fails at start-up when the policy names a column the entities lack
  const ownSink = options.auditSink ?? createAuditWriter(dataSource, config.audit, { log: options.log });
  // Read once: the metrics count by the trusted operations' names, and the route enforces them.
  const manifest = trustedManifest(config.trustedDocumentsExtra);
  const metrics = config.metricsPort === undefined ? undefined : new ServerMetrics({ operations: manifest.operations.map((o) => o.name) });
  const sink = metrics ? countedAuditSink(ownSink, metrics) : ownSink;
  metrics?.watchPools({
    queries: () => poolCounts((dataSource.driver as unknown as { master?: Parameters<typeof poolCounts>[0] }).master),
    audit: () => ownSink.connections?.(),
  });
  const app = await serveGraphQL(config, dataSource, {
    schema: await buildProtectedSchema(),
    plugins: [auditPlugin(sink)],
    context: requestContext(config, dataSource),
    preHandlers: options.preHandlers,
    log: options.log,
    onTrustedDocumentRefusal: options.onTrustedDocumentRefusal,
    metrics,
    manifest,
    // Unready while events cannot be stored: every response with personal data would be refused.
    readiness: sink.ping ? { audit: () => sink.ping!() } : undefined,
  });
  sink.watchRequests?.(app.graphqlRunning);
  const exposition = metrics && (await exposeMetrics(config.metricsPort!, metrics.registry));
  const stopServing = app.stop;
  return {
    ...app,
    metricsUrl: exposition?.url,
    stop: async () => {
      await stopServing();
      // Our audit writer closes (final checkpoint, connection) after the last request in flight has stored its event; a given sink is the caller's.
      if (!options.auditSink) await sink.close?.();
      await exposition?.close();
    },
  };
}

