// The benchmark's peer: PostGraphile 5 over the same database, its privacy written as PostgreSQL
// row-level security policies and column grants (installed by scripts/bench/peer.ts). Run by the
// harness as its own process; prints one JSON line {"url": ...} on stdout once it serves.
//
// Environment: PEER_DATABASE_URL, JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE, PEER_POOL_SIZE (10),
// PEER_LOG_SQL=1 (every statement on stderr).
//
// A dev-only tool of `npm run bench`: never part of the API.

// PostGraphile 5 targets Node >= 22 and uses Promise.withResolvers; on Node 20 it must exist before
// any PostGraphile module loads, hence the dynamic imports below.
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers() {
      let resolve;
      let reject;
      const promise = new this((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

const { createServer } = await import('node:http');
const pg = (await import('pg')).default;
const jwt = (await import('jsonwebtoken')).default;
const { postgraphile } = await import('postgraphile');
const { PostGraphileAmberPreset } = await import('postgraphile/presets/amber');
const { makePgService } = await import('postgraphile/adaptors/pg');
const { grafserv } = await import('postgraphile/grafserv/node');

const env = process.env;
const connectionString = env.PEER_DATABASE_URL;
if (!connectionString) throw new Error('PEER_DATABASE_URL is required');
const settings = { secret: env.JWT_SECRET, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Statements sent to PostgreSQL, for the harness's statements-per-request figure (GET /__bench/stats,
// with the process's CPU time).
let statements = 0;
const query = pg.Client.prototype.query;
const logSql = env.PEER_LOG_SQL === '1';
pg.Client.prototype.query = function countedQuery(...args) {
  statements++;
  if (logSql) process.stderr.write(`[peer sql] ${typeof args[0] === 'string' ? args[0] : args[0]?.text}\n`);
  return query.apply(this, args);
};

/** No token, a bad one, or a purpose the peer does not model: a role with no grant at all. */
const NOBODY = { role: 'bench_anonymous' };

/**
 * The same token check as the API (HS256, issuer, audience, expiry); the verified claims become the
 * transaction's role and `jwt.claims.*` settings, which the RLS policies read.
 */
function pgSettingsOf(req) {
  const match = /^Bearer\s+(\S+)$/i.exec(req?.headers.authorization?.trim() ?? '');
  if (!match) return NOBODY;
  let claims;
  try {
    claims = jwt.verify(match[1], settings.secret, {
      algorithms: ['HS256'], issuer: settings.issuer, audience: settings.audience, clockTolerance: 5,
    });
  } catch {
    return NOBODY;
  }
  if (claims.role === 'staff') {
    const purpose = String(req.headers['x-purpose'] ?? '').trim();
    // Only the LETTING purpose is modelled (TenantList); any other purpose reads nothing.
    if (purpose === 'LETTING' && Array.isArray(claims.purposes) && claims.purposes.includes(purpose)) {
      return { role: 'bench_staff', 'jwt.claims.sub': String(claims.sub), 'jwt.claims.purpose': purpose };
    }
    return NOBODY;
  }
  if (claims.role === 'contractor' && typeof claims.orgId === 'string' && UUID.test(claims.orgId)) {
    return { role: 'bench_contractor', 'jwt.claims.sub': String(claims.sub), 'jwt.claims.org_id': claims.orgId };
  }
  return NOBODY;
}

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString,
      schemas: ['public'],
      poolConfig: { max: Number(env.PEER_POOL_SIZE ?? 10) },
    }),
  ],
  grafserv: {
    graphqlPath: '/graphql',
    graphiql: false,
    graphqlOverGET: false,
    watch: false,
    maxRequestLength: 1024 * 1024,
  },
  grafast: {
    explain: false,
    context(requestContext) {
      return { pgSettings: pgSettingsOf(requestContext.node?.req) };
    },
  },
};

const pgl = postgraphile(preset);
await pgl.getSchema();
const serv = pgl.createServ(grafserv);
const handler = serv.createHandler();

const server = createServer((req, res) => {
  if (req.url === '/__bench/stats') {
    const { user, system } = process.cpuUsage();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ statements, cpuMs: (user + system) / 1000 }));
    return;
  }
  handler(req, res);
});
server.listen(Number(env.PEER_PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/graphql` })}\n`);
});

async function shutdown() {
  server.close();
  server.closeAllConnections?.();
  await pgl.release();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
