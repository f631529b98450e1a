import cluster from 'node:cluster';
import { createServer, Server } from 'node:http';
import { AggregatorRegistry, Registry } from 'prom-client';

/** Where the metrics are scraped, and how to stop serving them. */
export interface MetricsExposition {
  /** `http://localhost:<port>/metrics`; undefined in a worker, whose metrics the primary serves. */
  url?: string;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` on a listener of its own (`METRICS_PORT`): the API's port stays the apps',
 * and the metrics port can be kept to the monitoring network. In a worker of WORKERS > 1 nothing
 * listens: the primary serves the sum of every worker's metrics (prom-client's cluster aggregation
 * over IPC), so one scrape sees the whole instance.
 */
export async function exposeMetrics(port: number, registry: Registry): Promise<MetricsExposition> {
  if (cluster.isWorker) {
    shareWithPrimary(registry);
    return { close: async () => undefined };
  }
  return listen(port, () => registry.metrics(), registry.contentType);
}

/** The primary's listener: every live worker's metrics, aggregated (counters summed, gauges as each declares). */
export async function exposeClusterMetrics(port: number): Promise<MetricsExposition> {
  const aggregator = new AggregatorRegistry();
  return listen(port, () => aggregator.clusterMetrics(), aggregator.contentType);
}

/** A worker answers the primary's requests for its metrics with this registry's (prom-client's IPC listener). */
function shareWithPrimary(registry: Registry): void {
  AggregatorRegistry.setRegistries([registry]);
  // The constructor installs the worker's message listener (once per process).
  new AggregatorRegistry();
}

async function listen(port: number, render: () => Promise<string>, contentType: string): Promise<MetricsExposition> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(path === '/metrics' ? 405 : 404, { 'content-type': 'text/plain' }).end(path === '/metrics' ? 'Use GET\n' : 'Not found\n');
      return;
    }
    render().then(
      (text) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text),
      // Only the error's class: a scrape is no place for internals.
      (error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics not collected (${(error as Error)?.name ?? 'Error'})\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://localhost:${bound}/metrics`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
