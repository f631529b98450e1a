import { resolve } from 'node:path';

export interface Config {
  port: number;
  production: boolean;
  /** Embedded database directory, used when `databaseUrl` is not set. */
  dataDir: string;
  databaseUrl?: string;
  seed: boolean;
  jwt: { secret: string; issuer: string; audience: string };
}

/** Outside production only: lets `npm start` and `npm run token` work on a fresh clone. */
export const DEVELOPMENT_JWT_SECRET = 'mijande-development-secret-do-not-use-in-production';

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const secret = env.JWT_SECRET ?? (production ? undefined : DEVELOPMENT_JWT_SECRET);
  if (!secret || Buffer.byteLength(secret) < 32) {
    throw new ConfigError('JWT_SECRET must be set to at least 32 bytes' + (production ? ' in production' : ''));
  }
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT must be a port number');
  return {
    port,
    production,
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    seed: env.SEED !== 'false',
    jwt: { secret, issuer: env.JWT_ISSUER ?? 'mijande-auth', audience: env.JWT_AUDIENCE ?? 'mijande-api' },
  };
}
