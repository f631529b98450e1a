import { createDataSource } from './src/app/data-source';

/**
 * The DataSource the TypeORM CLI uses (`npx typeorm migration:run -d dist/ormconfig.js`).
 * The CLI needs a server: set DATABASE_URL. The application itself migrates on start.
 */
export default createDataSource({ url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
