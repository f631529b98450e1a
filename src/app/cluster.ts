import cluster, { Worker } from 'node:cluster';
import { ConfigError, Config } from '../platform/config';
import { logger } from '../platform/logging/logger';
import { exposeClusterMetrics } from '../platform/metrics/metrics-server';

/**
 * WORKERS: how many worker processes serve the port (node:cluster); 1 by default, the server then
 * runs in this process alone. Above 1 only on a PostgreSQL server: the embedded database is one
 * session owned by one process, so a second process could not open it at all.
 */
export function workerCount(env: NodeJS.ProcessEnv, databaseUrl: string | undefined): number {
  const raw = env.WORKERS;
  const workers = raw === undefined || raw === '' ? 1 : Number(raw);
  if (!Number.isSafeInteger(workers) || workers < 1) throw new ConfigError(['WORKERS must be a positive integer']);
  if (workers > 1 && !databaseUrl) {
    throw new ConfigError(['WORKERS above 1 needs DATABASE_URL (a PostgreSQL server): the embedded database is one session that one process opens']);
  }
  return workers;
}

/**
 * A worker's settings. Without REDIS_URL each worker counts requests in its own memory, so the
 * budget is split between the workers: a caller never gets more than the configured limit from
 * the instance, and one whose connection stays on one worker gets less (the stricter side). With
 * REDIS_URL every worker counts in Redis and the budget is exact.
 */
export function workerConfig(config: Config, workers: number): Config {
  if (workers === 1 || config.rateLimit.redisUrl) return config;
  return {
    ...config,
    rateLimit: {
      ...config.rateLimit,
      perMinute: Math.max(1, Math.floor(config.rateLimit.perMinute / workers)),
      anonymousPerMinute: Math.max(1, Math.floor(config.rateLimit.anonymousPerMinute / workers)),
    },
  };
}

/** A worker that lived this long before it died is restarted at once, its back-off forgotten. */
const HEALTHY_AFTER_MS = 30_000;
const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;

export interface ClusterOptions {
  workers: number;
  /** Where the primary says what it does; the process's logger by default. */
  log?: Pick<typeof logger, 'info' | 'warn' | 'error'>;
}

/**
 * The primary of WORKERS > 1: forks the workers, which share the listening port (node:cluster
 * hands the connections round-robin) and each append to an audit chain of their own (the writer
 * names it by host, pid and a random part, so no two processes ever append to one chain). The
 * first worker starts alone, so that migrations and the demo seed run once, not racing; the others
 * follow once it listens. A worker that dies is restarted after a back-off that doubles while
 * workers keep dying young. SIGTERM or SIGINT is passed to every worker, each finishes its
 * requests in flight and closes its audit chain; the primary exits 0 once all have exited cleanly.
 * Resolves with the primary's exit code.
 */
export function runPrimary(options: ClusterOptions): Promise<number> {
  const log = options.log ?? logger;
  const started = new Map<Worker, number>();
  /** Workers that have served: one stopped by the signal before it listened had no requests to finish. */
  const served = new Set<Worker>();
  let stopping = false;
  let listening = false;
  let failures = 0;
  let exitCode = 0;
  let restarts = 0;
  const pendingRestarts = new Set<NodeJS.Timeout>();

  return new Promise<number>((resolveExit) => {
    const finishIfDone = () => {
      if (stopping && started.size === 0 && pendingRestarts.size === 0) resolveExit(exitCode);
    };

    const fork = () => {
      const worker = cluster.fork();
      started.set(worker, Date.now());
      worker.once('listening', (address) => {
        served.add(worker);
        if (!listening) {
          listening = true;
          log.info({ workers: options.workers, port: address.port }, `primary ${process.pid}: first worker listens, starting ${options.workers - 1} more`);
          for (let i = 1; i < options.workers; i++) fork();
        }
      });
      worker.once('exit', (code, signal) => {
        const lived = Date.now() - (started.get(worker) ?? Date.now());
        started.delete(worker);
        const hadServed = served.delete(worker);
        if (stopping) {
          if (code !== 0 && (hadServed || signal !== 'SIGTERM')) exitCode = 1;
          finishIfDone();
          return;
        }
        if (!listening) {
          // Start-up failed (database unreachable, a migration refused): restarting would fail the same way.
          log.error({ pid: worker.process.pid, code, signal }, 'the first worker failed to start; stopping');
          exitCode = 1;
          stop();
          return;
        }
        failures = lived >= HEALTHY_AFTER_MS ? 0 : failures + 1;
        const delay = failures === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** (failures - 1));
        restarts++;
        log.warn({ pid: worker.process.pid, code, signal, restartInMs: delay, restarts }, 'worker died; restarting it');
        const timer = setTimeout(() => {
          pendingRestarts.delete(timer);
          if (!stopping) fork();
          finishIfDone();
        }, delay);
        pendingRestarts.add(timer);
      });
    };

    const stop = () => {
      if (stopping) return;
      stopping = true;
      for (const timer of pendingRestarts) clearTimeout(timer);
      pendingRestarts.clear();
      for (const worker of started.keys()) {
        if (!worker.isDead()) worker.process.kill('SIGTERM');
      }
      finishIfDone();
    };

    const onSignal = (signal: NodeJS.Signals) => {
      log.info({ signal, workers: started.size }, 'shutting down the workers');
      stop();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    fork();
  });
}

/**
 * main's hook: the settings this process serves with, alone (WORKERS=1) or as a worker (its share
 * of them). The primary of WORKERS > 1 never gets them: it only supervises the workers (it never
 * opens the database) and exits with its code once they are gone.
 */
export async function serveAsWorkerOrAlone(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const workers = workerCount(env, config.databaseUrl);
  if (workers === 1) return config;
  if (cluster.isPrimary) {
    if (!config.rateLimit.redisUrl) {
      logger.warn({ workers }, 'WORKERS without REDIS_URL: each worker counts its share of the rate limits; set REDIS_URL for one shared budget');
    }
    // The workers' metrics, summed, on the primary's METRICS_PORT: a scrape sees the instance, not one worker.
    const metrics = config.metricsPort === undefined ? undefined : await exposeClusterMetrics(config.metricsPort);
    if (metrics) logger.info({ workers }, `metrics of all workers on ${metrics.url}`);
    const code = await runPrimary({ workers });
    await metrics?.close();
    logger.flush();
    process.exit(code);
  }
  return workerConfig(config, workers);
}
