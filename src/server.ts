import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { DataSource } from 'typeorm';
import { authenticate } from './auth/authenticate';
import { formatError } from './common/errors';
import type { Config } from './config';
import type { AppContext } from './context';
import { catalogOf } from './privacy/catalog';
import { ScopedReader } from './privacy/scoped-reader';
import { buildProtectedSchema, RuleApplier } from './schema';
import { auditPlugin } from './audit/audit-plugin';
import { AuditTrail } from './audit/audit-trail';
import { AuditSink, ChainedAuditWriter } from './audit/audit-writer';

const MAX_BODY_BYTES = 1024 * 1024;

export interface App {
  apollo: ApolloServer<AppContext>;
  http: Server;
  url: string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Where audit events go; the hash-chained table by default. */
  auditSink?: AuditSink;
  /** How the field rules are applied; both enforce the same rules (tests compare them). */
  rules?: RuleApplier;
}

/** Starts the GraphQL API on `/graphql`. */
export async function startServer(config: Config, dataSource: DataSource, options: ServerOptions = {}): Promise<App> {
  catalogOf(dataSource); // fails at start-up when the policy names a column the entities lack
  const auditSink = options.auditSink ?? new ChainedAuditWriter(dataSource);
  const apollo = new ApolloServer<AppContext>({
    schema: await buildProtectedSchema(options.rules),
    formatError,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    introspection: !config.production,
    csrfPrevention: true,
    plugins: [auditPlugin(auditSink), ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : [])],
  });
  await apollo.start();

  const context = async (req: IncomingMessage): Promise<AppContext> => {
    const viewer = authenticate(
      { authorization: header(req, 'authorization'), purpose: header(req, 'x-purpose') },
      config.jwt,
    );
    return { viewer, reader: new ScopedReader(dataSource, viewer), dataSource, requestId: randomUUID(), audit: new AuditTrail() };
  };

  const http = createServer((req, res) => {
    handle(apollo, context, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    });
  });
  await new Promise<void>((resolve) => http.listen(config.port, resolve));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    apollo,
    http,
    url: `http://localhost:${port}/graphql`,
    async stop() {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await apollo.stop();
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function handle(
  apollo: ApolloServer<AppContext>,
  context: (req: IncomingMessage) => Promise<AppContext>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== '/graphql') {
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
    return;
  }
  const body = req.method === 'POST' ? await readJson(req) : undefined;
  if (body === TOO_LARGE) {
    res.writeHead(413, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'Request body too large' }] }));
    return;
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
    context: () => context(req),
  });
  for (const [key, value] of result.headers) res.setHeader(key, value);
  res.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    res.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) res.write(chunk);
  res.end();
}

const TOO_LARGE = Symbol('too large');

/** The parsed JSON body; invalid JSON is passed on as text for Apollo to refuse with a 400. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return TOO_LARGE;
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
