import 'reflect-metadata';
import { ConfigError, loadConfig } from '../platform/config';
import { openDatabase } from './database';
import { errorFields, logger } from '../platform/logging/logger';
import { startServer } from './server';
import { serveAsWorkerOrAlone } from './cluster';

async function main(): Promise<void> {
  const config = await serveAsWorkerOrAlone(loadConfig());
  logger.level = config.logLevel;
  const log = (message: string) => logger.info(message);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, seed: config.seed, log });
  const app = await startServer(config, db.dataSource);
  log(`Mijande privacy API on ${app.url} (${config.databaseUrl ? 'PostgreSQL server' : `embedded database in ${config.dataDir}`})`);
  if (app.metricsUrl) log(`metrics on ${app.metricsUrl}`);
  // The one handler of both signals (Apollo's own is off: it would stop the server a second time
  // and exit before the requests in flight are answered); a repeated signal does not restart it.
  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.info({ signal }, 'already shutting down');
      return;
    }
    logger.info({ signal }, 'shutting down');
    stopping = (async () => {
      await app.stop();
      await db.close();
      logger.flush();
      process.exit(0);
    })().catch((error) => {
      logger.fatal(errorFields(error), 'shutdown failed');
      logger.flush();
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  // A configuration problem is the operator's to fix: each one on its own, without a stack.
  if (error instanceof ConfigError) logger.fatal({ problems: error.problems }, `invalid configuration: ${error.problems.join('; ')}`);
  else logger.fatal({ ...errorFields(error), stack: (error as Error)?.stack?.split('\n').slice(1, 8).join('\n') }, 'start-up failed');
  logger.flush();
  process.exit(1);
});
