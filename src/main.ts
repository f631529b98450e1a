import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/database';
import { startServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = (message: string) => console.log(JSON.stringify({ level: 'info', time: new Date().toISOString(), message }));
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, seed: config.seed, log });
  const app = await startServer(config, db.dataSource);
  log(`Mijande privacy API on ${app.url} (${config.databaseUrl ? 'PostgreSQL server' : `embedded database in ${config.dataDir}`})`);
  const shutdown = async () => {
    await app.stop();
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
