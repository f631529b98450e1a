import { join, resolve } from 'node:path';
import { ClaimPaths, DEFAULT_CLAIM_PATHS, DEFAULT_MAX_LIFETIME_SECONDS, JwtSettings } from './auth/tokens';
import type { TrustedDocumentsMode } from './http/trusted-documents';

export interface Config {
  port: number;
  production: boolean;
  /** Embedded database directory, used when `databaseUrl` is not set. */
  dataDir: string;
  databaseUrl?: string;
  seed: boolean;
  jwt: JwtConfig;
  /** Requests per minute on /graphql: per verified token subject, and per address without one; shared through Redis when `redisUrl` is set. */
  rateLimit: { perMinute: number; anonymousPerMinute: number; redisUrl?: string };
  audit: AuditConfig;
  /** `enforce`: only the documents of trusted-documents.json run (src/platform/http/trusted-documents.ts). */
  trustedDocuments: TrustedDocumentsMode;
  /** Origins of the browser apps that may call /graphql across origins (CORS); empty: none. */
  corsOrigins: string[];
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
  const jwt = jwtConfig(env);
  const audit = auditConfig(env);
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT must be a port number');
  return {
    port,
    production,
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    seed: env.SEED !== 'false',
    jwt,
    rateLimit: {
      perMinute: positiveInteger(env, 'RATE_LIMIT_PER_MINUTE', 600),
      anonymousPerMinute: positiveInteger(env, 'RATE_LIMIT_ANONYMOUS_PER_MINUTE', 120),
      redisUrl: env.REDIS_URL || undefined,
    },
    audit,
    trustedDocuments: trustedDocumentsMode(env),
    corsOrigins: corsOrigins(env, production),
  };
}

/** TRUSTED_DOCUMENTS: `enforce` or `off`; unset, `enforce` in production and `off` elsewhere. */
export function trustedDocumentsMode(env: NodeJS.ProcessEnv = process.env): TrustedDocumentsMode {
  const raw = env.TRUSTED_DOCUMENTS;
  if (raw === undefined || raw === '') return env.NODE_ENV === 'production' ? 'enforce' : 'off';
  if (raw === 'enforce' || raw === 'off') return raw;
  throw new ConfigError('TRUSTED_DOCUMENTS must be enforce or off');
}

/**
 * CORS_ORIGINS: comma-separated origins (`https://dashboard.mijande.nl,http://localhost:5173`),
 * each exactly scheme, host and port as a browser sends it in `Origin`. No wildcard: only the
 * corporation's own apps may read personal data from a browser. In production https, or http on a
 * loopback host, since an app served in clear text can be altered on the way.
 */
export function corsOrigins(env: NodeJS.ProcessEnv, production = env.NODE_ENV === 'production'): string[] {
  const entries = (env.CORS_ORIGINS ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  return [...new Set(entries.map((entry) => {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== entry) {
      throw new ConfigError(`CORS_ORIGINS must list origins such as https://dashboard.mijande.nl (scheme, host and port only, no path or wildcard): "${entry}" is not one`);
    }
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (production && url.protocol !== 'https:' && !loopback) {
      throw new ConfigError(`CORS_ORIGINS must list https origins in production (http only on a loopback host): "${entry}" is not one`);
    }
    return entry;
  }))];
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

export type JwtConfig = JwtSettings & { maxLifetimeSeconds: number; claims: ClaimPaths };

/**
 * How tokens are verified. With `OIDC_ISSUER` (keys through its discovery document) or
 * `JWT_JWKS_URL`: RS256, ES256 or EdDSA under the identity provider's keys, and the shared secret
 * is not accepted at all. Without them: HS256 with `JWT_SECRET` (the development secret outside
 * production); in production only with `JWT_ALLOW_SHARED_SECRET=true`, since everyone who verifies
 * with a shared secret can also sign with it. Production with neither is refused.
 */
export function jwtConfig(env: NodeJS.ProcessEnv = process.env): JwtConfig {
  const production = env.NODE_ENV === 'production';
  const oidcIssuer = env.OIDC_ISSUER || undefined;
  const jwksUrl = env.JWT_JWKS_URL || undefined;
  const allowSharedSecret = flag(env, 'JWT_ALLOW_SHARED_SECRET');
  const common = {
    audience: env.JWT_AUDIENCE || 'mijande-api',
    maxLifetimeSeconds: duration(env, 'JWT_MAX_LIFETIME', DEFAULT_MAX_LIFETIME_SECONDS),
    claims: {
      role: claimPath(env, 'JWT_ROLE_CLAIM', DEFAULT_CLAIM_PATHS.role),
      purposes: claimPath(env, 'JWT_PURPOSES_CLAIM', DEFAULT_CLAIM_PATHS.purposes),
      orgId: claimPath(env, 'JWT_ORG_CLAIM', DEFAULT_CLAIM_PATHS.orgId),
      tenantId: claimPath(env, 'JWT_TENANT_CLAIM', DEFAULT_CLAIM_PATHS.tenantId),
    },
  };
  if (oidcIssuer && jwksUrl) throw new ConfigError('Set OIDC_ISSUER or JWT_JWKS_URL, not both');
  if (oidcIssuer || jwksUrl) {
    if (env.JWT_SECRET) {
      throw new ConfigError('JWT_SECRET cannot be combined with OIDC_ISSUER or JWT_JWKS_URL: tokens are verified with the identity provider\'s keys only');
    }
    if (oidcIssuer) {
      keyLocation(oidcIssuer, 'OIDC_ISSUER', production);
      if (env.JWT_ISSUER && env.JWT_ISSUER !== oidcIssuer) throw new ConfigError('JWT_ISSUER must be left unset or equal OIDC_ISSUER');
      return { ...common, issuer: oidcIssuer, oidcIssuer };
    }
    keyLocation(jwksUrl!, 'JWT_JWKS_URL', production);
    return { ...common, issuer: env.JWT_ISSUER || 'mijande-auth', jwksUrl };
  }
  if (production && !allowSharedSecret) {
    throw new ConfigError(env.JWT_SECRET
      ? 'JWT_SECRET (HS256) is refused in production: set OIDC_ISSUER or JWT_JWKS_URL, or JWT_ALLOW_SHARED_SECRET=true'
      : 'Production needs an identity provider: set OIDC_ISSUER or JWT_JWKS_URL (or JWT_SECRET with JWT_ALLOW_SHARED_SECRET=true)');
  }
  const secret = env.JWT_SECRET ?? (production ? undefined : DEVELOPMENT_JWT_SECRET);
  if (!secret || Buffer.byteLength(secret) < 32) {
    throw new ConfigError('JWT_SECRET must be set to at least 32 bytes' + (production ? ' in production' : ''));
  }
  return { ...common, issuer: env.JWT_ISSUER || 'mijande-auth', secret };
}

/**
 * An http(s) URL. In production https, or http to a loopback address: keys fetched in clear text
 * could be swapped on the way, and loopback (a sidecar) never leaves the host.
 */
function keyLocation(value: string, name: string, production: boolean): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (loopback || !production))) {
    throw new ConfigError(`${name} must be an https URL` + (production ? ' in production (http only to a loopback address)' : ''));
  }
}

/** A claim's dotted path: `role`, `realm_access.roles`. */
function claimPath(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[^.\s]+(\.[^.\s]+)*$/.test(raw)) throw new ConfigError(`${name} must be a claim name or a dotted path such as realm_access.roles`);
  return raw;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(`${name} must be true or false`);
}
