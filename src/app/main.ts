import 'reflect-metadata';
import { ConfigError, loadConfig } from '../platform/config';
import { openDatabase } from './database';
import { errorFields, logger } from '../platform/logging/logger';
import { startServer } from './server';
import { serveAsWorkerOrAlone } from './cluster';

async function main(): Promise<void> {
  const config = await serveAsWorkerOrAlone(loadConfig());
  const log = (message: string) => logger.info(message);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, seed: config.seed, log });
  const app = await startServer(config, db.dataSource);
  log(`Mijande privacy API on ${app.url} (${config.databaseUrl ? 'PostgreSQL server' : `embedded database in ${config.dataDir}`})`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    // Once: a worker can get the signal twice, from its primary and from the terminal's process group.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.stop();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  if (error instanceof ConfigError) logger.fatal(error.message);
  else logger.fatal({ ...errorFields(error), stack: (error as Error)?.stack?.split('\n').slice(1, 8).join('\n') }, 'start-up failed');
  logger.flush();
  process.exit(1);
});
