import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { isPurpose, isRole, PURPOSES, Purpose, ROLE_CLAIM, ROLES } from '../../platform/auth/audiences';
import { Claims, signToken, usesKeySet } from '../../platform/auth/tokens';
import { Config, DEVELOPMENT_JWT_SECRET } from '../../platform/config';
import { header, readJsonBody, RequestInfo, sendError, sendJson } from '../../platform/http/request';
import { isUuid } from '../../platform/values/ids';
import { IDE_SCRIPT, IDE_STYLE } from './browser-script';
import { EXAMPLE_QUERIES, SUBJECTS_PURPOSE, SUBJECTS_QUERY } from './examples';

/** Where the IDE's files and the development token endpoint live, beside `/graphql`. */
export const IDE_PREFIX = '/graphql/ide/';
export const IDE_TOKEN_PATH = `${IDE_PREFIX}token`;
/** How long a token from the picker lives (at most JWT_MAX_LIFETIME). */
const IDE_TOKEN_SECONDS = 3600;

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** The files the page loads: GraphiQL's UMD build and the React it needs, from the installed packages (devDependencies), and the IDE's own. */
const ASSETS: Record<string, { type: string; file?: [pkg: string, path: string]; text?: string }> = {
  'react.production.min.js': { type: JS, file: ['react', 'umd/react.production.min.js'] },
  'react-dom.production.min.js': { type: JS, file: ['react-dom', 'umd/react-dom.production.min.js'] },
  'graphiql.min.js': { type: JS, file: ['graphiql', 'graphiql.min.js'] },
  'graphiql.min.css': { type: CSS, file: ['graphiql', 'graphiql.min.css'] },
  'ide.js': { type: JS, text: IDE_SCRIPT },
  'ide.css': { type: CSS, text: IDE_STYLE },
};

/**
 * Only this origin's own files and requests: no CDN, no inline script. GraphiQL sets inline styles
 * and its CSS embeds its fonts and icons as data: URLs.
 */
export const IDE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export type IdeHandler = (req: IncomingMessage, res: ServerResponse, info: RequestInfo) => Promise<boolean>;

/**
 * GraphiQL at `GET /graphql` for a browser, outside production only (`undefined` in production,
 * where no route of it exists). The page presets `Authorization` and `X-Purpose`, and a token
 * picker lists the seeded ids per role. Its tokens are minted here only while the server verifies
 * with the public development secret (no JWT_SECRET, no identity provider): they are tokens
 * anyone could sign with `npm run token`, never ones a configured secret would make valid.
 *
 * Returns true when it has answered the request.
 */
export function graphqlIde(config: Config): IdeHandler | undefined {
  if (config.production) return undefined;
  const canMint = !usesKeySet(config.jwt) && config.jwt.secret === DEVELOPMENT_JWT_SECRET;
  const files = new Map<string, Buffer | undefined>();
  const asset = (name: string): Buffer | undefined => {
    if (!files.has(name)) files.set(name, loadAsset(name));
    return files.get(name);
  };
  const mint = (claims: Claims) => signToken(claims, config.jwt, Math.min(IDE_TOKEN_SECONDS, config.jwt.maxLifetimeSeconds));

  return async (req, res, info) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/graphql') {
      if (!wantsPage(req)) return false;
      const missing = Object.keys(ASSETS).filter((name) => !asset(name));
      if (missing.length) {
        sendHtml(res, 503, unavailablePage(missing));
        return true;
      }
      sendHtml(res, 200, page(canMint, canMint ? mint({ sub: 'ide-staff', role: 'staff', purposes: [...PURPOSES] }) : undefined));
      return true;
    }
    if (!path.startsWith(IDE_PREFIX)) return false;
    if (path === IDE_TOKEN_PATH) {
      await handleToken(req, res, info, canMint, mint);
      return true;
    }
    const name = path.slice(IDE_PREFIX.length);
    const content = Object.hasOwn(ASSETS, name) && (req.method === 'GET' || req.method === 'HEAD') ? asset(name) : undefined;
    if (!content) {
      sendError(res, 404, 'NOT_FOUND', 'Not found', info);
      return true;
    }
    res.writeHead(200, { 'content-type': ASSETS[name].type, 'content-length': content.length });
    res.end(req.method === 'HEAD' ? undefined : content);
    return true;
  };
}

/** A browser navigating to /graphql (`Accept: text/html`, no query in the URL); any API call goes on to Apollo. */
function wantsPage(req: IncomingMessage): boolean {
  const url = new URL(req.url ?? '/', 'http://localhost');
  return req.method === 'GET' && !url.searchParams.has('query') && (header(req, 'accept') ?? '').includes('text/html');
}

function loadAsset(name: string): Buffer | undefined {
  const { file, text } = ASSETS[name];
  if (text !== undefined) return Buffer.from(text, 'utf8');
  const [pkg, path] = file!;
  try {
    return readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), path));
  } catch {
    return undefined; // installed without devDependencies: the page says so
  }
}

/**
 * POST /graphql/ide/token `{ role, tenantId | orgId | purposes }` → `{ token }`. JSON only, so a
 * page of another origin cannot send it without a preflight, which this path never answers
 * (CORS covers /graphql alone); a request naming another origin is refused outright.
 */
async function handleToken(
  req: IncomingMessage, res: ServerResponse, info: RequestInfo, canMint: boolean, mint: (claims: Claims) => string,
): Promise<void> {
  if (req.method !== 'POST') return sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Use POST', info, { allow: 'POST' });
  if (!canMint) {
    return sendError(res, 403, 'FORBIDDEN', 'Development tokens are minted only with the development secret (JWT_SECRET unset, no OIDC_ISSUER or JWT_JWKS_URL); paste a token instead', info);
  }
  const origin = header(req, 'origin');
  if (origin !== undefined && origin !== `http://${header(req, 'host')}`) {
    return sendError(res, 403, 'FORBIDDEN', 'Development tokens are only for the IDE on this server', info);
  }
  if (!(header(req, 'content-type') ?? '').startsWith('application/json')) {
    return sendError(res, 415, 'BAD_REQUEST', 'Send JSON (content-type: application/json)', info);
  }
  const body = await readJsonBody(req, 4096);
  const claims = claimsFrom(body);
  if (typeof claims === 'string') return sendError(res, 400, 'BAD_USER_INPUT', claims, info);
  sendJson(res, 200, { token: mint(claims) });
}

/** The claims a picked role needs (ROLE_CLAIM), or what is wrong with the request. */
function claimsFrom(body: unknown): Claims | string {
  const given = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const role = given.role;
  if (!isRole(role)) return `role must be one of ${ROLES.join(', ')}`;
  const claims: Claims = { sub: `ide-${role}`, role };
  switch (ROLE_CLAIM[role]) {
    case 'tenantId':
      if (!isUuid(given.tenantId)) return 'tenantId must be a tenant id';
      claims.tenantId = given.tenantId;
      break;
    case 'orgId':
      if (!isUuid(given.orgId)) return 'orgId must be an organisation id';
      claims.orgId = given.orgId;
      break;
    case 'purposes': {
      const purposes = given.purposes;
      if (!Array.isArray(purposes) || !purposes.length || !purposes.every(isPurpose)) return `purposes must list purposes from ${PURPOSES.join(', ')}`;
      claims.purposes = [...new Set(purposes as Purpose[])];
      break;
    }
  }
  return claims;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': IDE_CONTENT_SECURITY_POLICY, 'referrer-policy': 'no-referrer' });
  res.end(html);
}

/** JSON inside a <script> element: `<` escaped, so no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function page(canMint: boolean, staffToken: string | undefined): string {
  const config = {
    endpoint: '/graphql',
    tokenEndpoint: IDE_TOKEN_PATH,
    canMint,
    cannotMintReason: 'This server verifies tokens with a configured secret or an identity provider: paste a token into the Authorization header.',
    roles: [...ROLES, 'public'],
    purposes: PURPOSES,
    defaultRole: 'staff',
    defaultHeaders: { Authorization: `Bearer ${staffToken ?? '<a token: npm run token, or from the identity provider>'}`, 'X-Purpose': 'REPAIRS' },
    examples: EXAMPLE_QUERIES,
    subjectsQuery: SUBJECTS_QUERY,
    subjectsPurpose: SUBJECTS_PURPOSE,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Mijande privacy API · GraphiQL (development)</title>
<link rel="stylesheet" href="${IDE_PREFIX}graphiql.min.css">
<link rel="stylesheet" href="${IDE_PREFIX}ide.css">
</head>
<body>
<header id="ide-picker">
<strong>Mijande privacy API · development</strong>
<label>Sign in as <select id="ide-role"></select></label>
<select id="ide-subject" aria-label="id"></select>
<select id="ide-purpose" aria-label="X-Purpose"></select>
<button id="ide-use" type="button" disabled>Use</button>
<span id="ide-status" role="status">Loading…</span>
</header>
<div id="graphiql"></div>
<script type="application/json" id="ide-config">${scriptJson(config)}</script>
<script src="${IDE_PREFIX}react.production.min.js"></script>
<script src="${IDE_PREFIX}react-dom.production.min.js"></script>
<script src="${IDE_PREFIX}graphiql.min.js"></script>
<script src="${IDE_PREFIX}ide.js"></script>
</body>
</html>
`;
}

function unavailablePage(missing: string[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GraphiQL not installed</title></head>
<body><p>The GraphQL IDE needs the devDependencies graphiql, react and react-dom (missing: ${missing.join(', ')}): run <code>npm install</code>.
POST /graphql works without them.</p></body></html>
`;
}
