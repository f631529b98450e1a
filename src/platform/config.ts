import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';
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
  /**
   * More manifests to trust beside the apps' (TRUSTED_DOCUMENTS_EXTRA), as absolute paths: the
   * operations the API offers that the apps' documents do not hold yet (trusted-documents.operations.json).
   */
  trustedDocumentsExtra?: string[];
  /** Origins of the browser apps that may call /graphql across origins (CORS); empty: none. */
  corsOrigins: string[];
  /** The pino level of the process's log. */
  logLevel: LogLevel;
  /**
   * Which peers are proxies whose `X-Forwarded-For` is believed (TRUST_PROXY): the client's address
   * is then the first one, from the socket outwards, that is not such a proxy. Unset: the socket's peer.
   */
  trustProxy?: TrustProxy;
  /** The port of the separate Prometheus listener (`/metrics`); unset: no metrics are served. */
  metricsPort?: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** proxy-addr's trust function: `hop` 0 is the socket's peer, 1 the address it forwarded for, and so on. */
export type TrustProxy = (address: string, hop: number) => boolean;

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

/** Every problem of the environment at once, one line each, so that one start names them all. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

// An empty variable counts as unset, as a shell's `VAR=` means.
const setting = <T extends z.ZodType>(schema: T) => z.preprocess((raw) => (raw === '' ? undefined : raw), schema.optional());

const positiveInteger = (name: string) =>
  setting(z.string().regex(/^\d+$/, { error: `${name} must be a positive integer` }).transform(Number)
    .refine((n) => Number.isSafeInteger(n) && n >= 1, { error: `${name} must be a positive integer` }));

const port = (name: string) =>
  setting(z.string().regex(/^\d{1,5}$/, { error: `${name} must be a port number (0 to 65535)` }).transform(Number)
    .refine((n) => n <= 65535, { error: `${name} must be a port number (0 to 65535)` }));

const flag = (name: string) => setting(z.enum(['true', 'false'], { error: `${name} must be true or false` }).transform((v) => v === 'true'));

/** Seconds, from a number of seconds or one with a unit: `900`, `90s`, `15m`, `12h`. */
const duration = (name: string) => {
  const message = `${name} must be a duration such as 900, 15m or 12h`;
  return setting(z.string().trim().regex(/^\d+[smh]?$/, { error: message })
    .transform((raw) => Number(raw.replace(/[smh]$/, '')) * ({ s: 1, m: 60, h: 3600 }[raw.slice(-1)] ?? 1))
    .refine((seconds) => Number.isSafeInteger(seconds) && seconds >= 1, { error: message }));
};

/** A claim's dotted path: `role`, `realm_access.roles`. */
const claimPath = (name: string) =>
  setting(z.string().regex(/^[^.\s]+(\.[^.\s]+)*$/, { error: `${name} must be a claim name or a dotted path such as realm_access.roles` }));

const urlWith = (name: string, protocols: string[], example: string) =>
  setting(z.string().refine((raw) => {
    try {
      return protocols.includes(new URL(raw).protocol);
    } catch {
      return false;
    }
  }, { error: `${name} must be a URL such as ${example}` }));

/**
 * TRUST_PROXY: how many proxies (a hop count: `1` for one load balancer) or which (a comma-separated
 * list of addresses and CIDR ranges, or proxy-addr's names `loopback`, `linklocal`, `uniquelocal`)
 * stand between the clients and the API. Compiled here, so a bad entry is refused at start-up.
 */
const trustProxy = setting(z.string().trim().transform((raw, ctx): TrustProxy => {
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    return (_address, hop) => hop < hops;
  }
  try {
    const entries = raw.split(',').map((entry) => entry.trim());
    if (entries.some((entry) => !entry)) throw new Error('empty entry');
    return proxyAddr.compile(entries);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'TRUST_PROXY must be a hop count (1) or a comma-separated list of addresses and CIDR ranges (10.0.0.0/8,192.168.1.7)' });
    return z.NEVER;
  }
}));

/**
 * Every variable the API reads, with its format. A value of the wrong format is one problem; the
 * rules that join variables (identity provider or secret, production's requirements) follow in
 * `loadConfig` and its parts.
 */
const SETTINGS = {
  NODE_ENV: setting(z.string()),
  PORT: port('PORT'),
  DATA_DIR: setting(z.string()),
  DATABASE_URL: urlWith('DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://user@host:5432/db'),
  SEED: flag('SEED'),
  RATE_LIMIT_PER_MINUTE: positiveInteger('RATE_LIMIT_PER_MINUTE'),
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: positiveInteger('RATE_LIMIT_ANONYMOUS_PER_MINUTE'),
  REDIS_URL: urlWith('REDIS_URL', ['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  LOG_LEVEL: setting(z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })),
  TRUSTED_DOCUMENTS: setting(z.enum(['enforce', 'off'], { error: 'TRUSTED_DOCUMENTS must be enforce or off' })),
  TRUSTED_DOCUMENTS_EXTRA: setting(z.string()),
  CORS_ORIGINS: setting(z.string()),
  TRUST_PROXY: trustProxy,
  METRICS_PORT: port('METRICS_PORT'),
  AUDIT_KEY: setting(z.string()),
  AUDIT_CHECKPOINT_DIR: setting(z.string()),
  OIDC_ISSUER: setting(z.string()),
  JWT_JWKS_URL: setting(z.string()),
  JWT_SECRET: setting(z.string()),
  JWT_ALLOW_SHARED_SECRET: flag('JWT_ALLOW_SHARED_SECRET'),
  JWT_ISSUER: setting(z.string()),
  JWT_AUDIENCE: setting(z.string()),
  JWT_MAX_LIFETIME: duration('JWT_MAX_LIFETIME'),
  JWT_ROLE_CLAIM: claimPath('JWT_ROLE_CLAIM'),
  JWT_PURPOSES_CLAIM: claimPath('JWT_PURPOSES_CLAIM'),
  JWT_ORG_CLAIM: claimPath('JWT_ORG_CLAIM'),
  JWT_TENANT_CLAIM: claimPath('JWT_TENANT_CLAIM'),
} as const;

type SettingName = keyof typeof SETTINGS;
type SettingValue<K extends SettingName> = z.output<(typeof SETTINGS)[K]>;

/** Reads variables through SETTINGS and gathers the problems; a bad variable reads as unset, so the later rules still run. */
class Settings {
  readonly problems: string[] = [];
  private readonly bad = new Set<SettingName>();

  readonly production: boolean;

  constructor(private readonly env: NodeJS.ProcessEnv, production = env.NODE_ENV === 'production') {
    this.production = production;
  }

  /** Whether the variable is present at all, empty included. */
  isPresent(name: SettingName): boolean {
    return this.env[name] !== undefined;
  }

  get<K extends SettingName>(name: K): SettingValue<K> | undefined {
    const result = SETTINGS[name].safeParse(this.env[name]);
    if (result.success) return result.data as SettingValue<K>;
    if (!this.bad.has(name)) {
      this.bad.add(name);
      this.problems.push(result.error.issues[0]?.message ?? `${name} is not valid`);
    }
    return undefined;
  }

  problem(message: string): void {
    if (!this.problems.includes(message)) this.problems.push(message);
  }

  /** Throws the gathered problems, if any. */
  done<T>(value: T): T {
    if (this.problems.length) throw new ConfigError(this.problems);
    return value;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const s = new Settings(env);
  const production = s.production;
  const config: Config = {
    port: s.get('PORT') ?? 4000,
    production,
    dataDir: resolve(s.get('DATA_DIR') ?? './data'),
    databaseUrl: s.get('DATABASE_URL'),
    // An empty production database stays empty: demo tenants there would look like real ones.
    seed: s.get('SEED') ?? !production,
    jwt: readJwt(s),
    rateLimit: {
      perMinute: s.get('RATE_LIMIT_PER_MINUTE') ?? 600,
      anonymousPerMinute: s.get('RATE_LIMIT_ANONYMOUS_PER_MINUTE') ?? 120,
      redisUrl: s.get('REDIS_URL'),
    },
    audit: readAudit(s),
    trustedDocuments: readTrustedDocuments(s),
    trustedDocumentsExtra: readTrustedDocumentsExtra(s),
    corsOrigins: readCorsOrigins(s),
    logLevel: s.get('LOG_LEVEL') ?? 'info',
    trustProxy: s.get('TRUST_PROXY'),
    metricsPort: s.get('METRICS_PORT'),
  };
  return s.done(config);
}

/** TRUSTED_DOCUMENTS: `enforce` or `off`; unset, `enforce` in production and `off` elsewhere. */
export function trustedDocumentsMode(env: NodeJS.ProcessEnv = process.env): TrustedDocumentsMode {
  const s = new Settings(env);
  return s.done(readTrustedDocuments(s));
}

function readTrustedDocuments(s: Settings): TrustedDocumentsMode {
  return s.get('TRUSTED_DOCUMENTS') ?? (s.production ? 'enforce' : 'off');
}

/** TRUSTED_DOCUMENTS_EXTRA: comma-separated manifest files, relative to the working directory; each must exist. */
function readTrustedDocumentsExtra(s: Settings): string[] {
  const files = (s.get('TRUSTED_DOCUMENTS_EXTRA') ?? '').split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => resolve(entry));
  for (const file of files) {
    if (!existsSync(file)) s.problem(`TRUSTED_DOCUMENTS_EXTRA must list manifest files that exist: ${file} does not`);
  }
  return [...new Set(files)];
}

/**
 * CORS_ORIGINS: comma-separated origins (`https://dashboard.mijande.nl,http://localhost:5173`),
 * each exactly scheme, host and port as a browser sends it in `Origin`. No wildcard: only the
 * corporation's own apps may read personal data from a browser. In production https, or http on a
 * loopback host, since an app served in clear text can be altered on the way.
 */
export function corsOrigins(env: NodeJS.ProcessEnv, production = env.NODE_ENV === 'production'): string[] {
  const s = new Settings(env, production);
  return s.done(readCorsOrigins(s));
}

function readCorsOrigins(s: Settings): string[] {
  const entries = (s.get('CORS_ORIGINS') ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  const origins: string[] = [];
  for (const entry of entries) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== entry) {
      s.problem(`CORS_ORIGINS must list origins such as https://dashboard.mijande.nl (scheme, host and port only, no path or wildcard): "${entry}" is not one`);
      continue;
    }
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (s.production && url.protocol !== 'https:' && !loopback) {
      s.problem(`CORS_ORIGINS must list https origins in production (http only on a loopback host): "${entry}" is not one`);
      continue;
    }
    if (!origins.includes(entry)) origins.push(entry);
  }
  return origins;
}

/**
 * AUDIT_KEY and AUDIT_CHECKPOINT_DIR, apart from the rest so that `npm run audit:verify` needs no
 * token secret. In production the key is required (at least 32 bytes): with the public development
 * key anyone could recompute a rewritten chain.
 */
export function auditConfig(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  const s = new Settings(env);
  return s.done(readAudit(s));
}

function readAudit(s: Settings): AuditConfig {
  const key = s.get('AUDIT_KEY') ?? (s.production ? undefined : DEVELOPMENT_AUDIT_KEY);
  if (!key || Buffer.byteLength(key) < 32) s.problem('AUDIT_KEY must be set to at least 32 bytes' + (s.production ? ' in production' : ''));
  return {
    key: key ?? '',
    checkpointDir: resolve(s.get('AUDIT_CHECKPOINT_DIR') ?? join(s.get('DATA_DIR') ?? './data', 'audit-checkpoints')),
  };
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
  const s = new Settings(env);
  return s.done(readJwt(s));
}

function readJwt(s: Settings): JwtConfig {
  const production = s.production;
  const oidcIssuer = s.get('OIDC_ISSUER');
  const jwksUrl = s.get('JWT_JWKS_URL');
  const secretGiven = s.get('JWT_SECRET');
  const jwtIssuer = s.get('JWT_ISSUER');
  const common = {
    audience: s.get('JWT_AUDIENCE') ?? 'mijande-api',
    maxLifetimeSeconds: s.get('JWT_MAX_LIFETIME') ?? DEFAULT_MAX_LIFETIME_SECONDS,
    claims: {
      role: s.get('JWT_ROLE_CLAIM') ?? DEFAULT_CLAIM_PATHS.role,
      purposes: s.get('JWT_PURPOSES_CLAIM') ?? DEFAULT_CLAIM_PATHS.purposes,
      orgId: s.get('JWT_ORG_CLAIM') ?? DEFAULT_CLAIM_PATHS.orgId,
      tenantId: s.get('JWT_TENANT_CLAIM') ?? DEFAULT_CLAIM_PATHS.tenantId,
    },
  };
  const allowSharedSecret = s.get('JWT_ALLOW_SHARED_SECRET') ?? false;
  if (oidcIssuer && jwksUrl) s.problem('Set OIDC_ISSUER or JWT_JWKS_URL, not both');
  if (oidcIssuer || jwksUrl) {
    if (secretGiven) {
      s.problem('JWT_SECRET cannot be combined with OIDC_ISSUER or JWT_JWKS_URL: tokens are verified with the identity provider\'s keys only');
    }
    if (oidcIssuer) {
      keyLocation(s, oidcIssuer, 'OIDC_ISSUER');
      if (jwtIssuer && jwtIssuer !== oidcIssuer) s.problem('JWT_ISSUER must be left unset or equal OIDC_ISSUER');
      return { ...common, issuer: oidcIssuer, oidcIssuer };
    }
    keyLocation(s, jwksUrl!, 'JWT_JWKS_URL');
    return { ...common, issuer: jwtIssuer ?? 'mijande-auth', jwksUrl };
  }
  if (production && !allowSharedSecret) {
    s.problem(secretGiven
      ? 'JWT_SECRET (HS256) is refused in production: set OIDC_ISSUER or JWT_JWKS_URL, or JWT_ALLOW_SHARED_SECRET=true'
      : 'Production needs an identity provider: set OIDC_ISSUER or JWT_JWKS_URL (or JWT_SECRET with JWT_ALLOW_SHARED_SECRET=true)');
    return { ...common, issuer: jwtIssuer ?? 'mijande-auth' };
  }
  // An explicitly empty JWT_SECRET is a missing secret, not the development one.
  const secret = s.isPresent('JWT_SECRET') ? secretGiven : production ? undefined : DEVELOPMENT_JWT_SECRET;
  if (!secret || Buffer.byteLength(secret) < 32) {
    s.problem('JWT_SECRET must be set to at least 32 bytes' + (production ? ' in production' : ''));
  }
  return { ...common, issuer: jwtIssuer ?? 'mijande-auth', secret };
}

/**
 * An http(s) URL. In production https, or http to a loopback address: keys fetched in clear text
 * could be swapped on the way, and loopback (a sidecar) never leaves the host.
 */
function keyLocation(s: Settings, value: string, name: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    s.problem(`${name} must be a URL`);
    return;
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (loopback || !s.production))) {
    s.problem(`${name} must be an https URL` + (s.production ? ' in production (http only to a loopback address)' : ''));
  }
}
