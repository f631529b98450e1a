import { join, resolve } from 'node:path';
import { DEFAULT_MAX_LIFETIME_SECONDS } from './auth/tokens';

export interface Config {
  port: number;
  production: boolean;
  /** Embedded database directory, used when `databaseUrl` is not set. */
  dataDir: string;
  databaseUrl?: string;
  seed: boolean;
  jwt: { secret: string; issuer: string; audience: string; maxLifetimeSeconds: number };
  /** Requests per minute on /graphql: per verified token subject, and per address without one; shared through Redis when `redisUrl` is set. */
  rateLimit: { perMinute: number; anonymousPerMinute: number; redisUrl?: string };
  audit: AuditConfig;
}

export interface AuditConfig {
  /**
   * The HMAC key of the audit hash chains and the seed of the checkpoints' signing key. It is never
   * stored in the database: a superuser who rewrites events cannot recompute their hashes.
   */
  key: string;
  /** Where each chain's signed heads are appended: outside the database, so they survive its rewriting. */
  checkpointDir: string;
}

/** Outside production only: chains keyed with it are tamper-evident against no one who read this file. */
export const DEVELOPMENT_AUDIT_KEY = 'mijande-development-audit-key-do-not-use-in-production';

/** Outside production only: lets `npm start` and `npm run token` work on a fresh clone. */
export const DEVELOPMENT_JWT_SECRET = 'mijande-development-secret-do-not-use-in-production';

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const secret = env.JWT_SECRET ?? (production ? undefined : DEVELOPMENT_JWT_SECRET);
  if (!secret || Buffer.byteLength(secret) < 32) {
    throw new ConfigError('JWT_SECRET must be set to at least 32 bytes' + (production ? ' in production' : ''));
  }
  // Erasure and retention write keyed pseudonyms; the development key is public.
  if (production && Buffer.byteLength(env.ANONYMIZE_KEY ?? '') < 32) {
    throw new ConfigError('ANONYMIZE_KEY must be set to at least 32 bytes in production');
  }
  const audit = auditConfig(env);
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT must be a port number');
  return {
    port,
    production,
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    seed: env.SEED !== 'false',
    jwt: {
      secret,
      issuer: env.JWT_ISSUER ?? 'mijande-auth',
      audience: env.JWT_AUDIENCE ?? 'mijande-api',
      maxLifetimeSeconds: duration(env, 'JWT_MAX_LIFETIME', DEFAULT_MAX_LIFETIME_SECONDS),
    },
    rateLimit: {
      perMinute: positiveInteger(env, 'RATE_LIMIT_PER_MINUTE', 600),
      anonymousPerMinute: positiveInteger(env, 'RATE_LIMIT_ANONYMOUS_PER_MINUTE', 120),
      redisUrl: env.REDIS_URL || undefined,
    },
    audit,
  };
}

/**
 * AUDIT_KEY and AUDIT_CHECKPOINT_DIR, apart from the rest so that `npm run audit:verify` needs no
 * token secret. In production the key is required (at least 32 bytes): with the public development
 * key anyone could recompute a rewritten chain.
 */
export function auditConfig(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  const production = env.NODE_ENV === 'production';
  const key = env.AUDIT_KEY || (production ? undefined : DEVELOPMENT_AUDIT_KEY);
  if (!key || Buffer.byteLength(key) < 32) {
    throw new ConfigError('AUDIT_KEY must be set to at least 32 bytes' + (production ? ' in production' : ''));
  }
  return {
    key,
    checkpointDir: resolve(env.AUDIT_CHECKPOINT_DIR || join(env.DATA_DIR ?? './data', 'audit-checkpoints')),
  };
}

/** Seconds, from a number of seconds or one with a unit: `900`, `90s`, `15m`, `12h`. */
function duration(env: NodeJS.ProcessEnv, name: string, fallbackSeconds: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallbackSeconds;
  const m = /^(\d+)([smh]?)$/.exec(raw.trim());
  const seconds = m ? Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600 }[m[2] as '' | 's' | 'm' | 'h'] : NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 1) throw new ConfigError(`${name} must be a duration such as 900, 15m or 12h`);
  return seconds;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
  if (!Number.isSafeInteger(value) || value < 1) throw new ConfigError(`${name} must be a positive integer`);
  return value;
}
