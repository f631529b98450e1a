/**
 * While the route holds a response for its audit event (a group commit can take milliseconds under
 * load), it keeps only the serialised response: the GraphQL request's context, rows and result can be
 * collected meanwhile. Otherwise every held request keeps its whole result alive through the wait,
 * and the garbage collector copies it from generation to generation.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { AuditTrail } from '../../../src/platform/audit/audit-trail';
import type { AppContext } from '../../../src/privacy/context';
import { handleGraphQL } from '../../../src/platform/http/graphql-route';
import { requestInfo } from '../../../src/platform/http/request';
import { createLogger, currentRequest, RequestScope } from '../../../src/platform/logging/logger';
import { serveWithRequestLog } from '../../../src/platform/logging/request-log';
import { collectGarbage } from '../../support/gc';

interface Held {
  context: WeakRef<object>;
  scope: RequestScope;
  settle: (stored: boolean) => void;
}

let server: Server;
let url: string;
let held: Promise<Held>;
let handOver: (h: Held) => void;
const lines: Record<string, unknown>[] = [];

/** An audit event on its way to the store; made apart so that nothing here closes over the context. */
function pendingEvent(): { stored: Promise<void>; settle: (stored: boolean) => void } {
  let settle!: (stored: boolean) => void;
  const stored = new Promise<void>((resolve, reject) => {
    settle = (ok) => (ok ? resolve() : reject(new Error('audit store down')));
  });
  return { stored, settle };
}

/** Stands in for Apollo: makes the context, and records the error codes lazily as the request log's plugin does. */
const apollo = {
  async executeHTTPGraphQLRequest({ context }: { context: () => Promise<AppContext> }) {
    const ctx = await context();
    const { stored, settle } = pendingEvent();
    ctx.audit.stored = stored;
    const scope = currentRequest()!;
    scope.finalErrorCodes = () => ((ctx as unknown as { rows: unknown[] }).rows.length ? undefined : ['EMPTY']);
    handOver({ context: new WeakRef(ctx), scope, settle });
    return { status: 200, headers: new HeaderMap([['content-type', 'application/json']]), body: { kind: 'complete' as const, string: '{"data":{"ok":true}}' } };
  },
} as unknown as ApolloServer<AppContext>;

// A context with a result's worth of rows, as the scoped reader would hold them.
const makeContext = async () => ({ audit: new AuditTrail(), rows: Array.from({ length: 5_000 }, (_, i) => ({ id: i })) }) as unknown as AppContext;

beforeAll(async () => {
  const log = createLogger({ stream: { write: (line: string) => void lines.push(JSON.parse(line)) }, level: 'info' });
  server = createServer((req, res) => {
    const info = requestInfo(req);
    serveWithRequestLog(log, req, res, info, () => handleGraphQL(apollo, makeContext, req, res, info));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql?query=%7Bok%7D`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

beforeEach(() => {
  held = new Promise((resolve) => (handOver = resolve));
});

/** Until the route is parked on the audit event. */
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

test('while the event is stored, the request context is not kept alive; the response follows the commit', async () => {
  const response = fetch(url, { headers: { 'x-request-id': 'held-request-1' } });
  const h = await held;
  try {
    await turns(5);
    collectGarbage();
    expect(h.context.deref()).toBeUndefined();
    // The log line's codes were read before the context was let go.
    expect(h.scope.fields.errorCodes).toBeUndefined();
    expect(h.scope.finalErrorCodes).toBeUndefined();
  } finally {
    h.settle(true);
  }
  const res = await response;
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ data: { ok: true } });
});

test('when the event cannot be stored, the client gets 503 and the log line says why', async () => {
  const response = fetch(url, { headers: { 'x-request-id': 'held-request-2' } });
  const h = await held;
  await turns(5);
  h.settle(false);
  const res = await response;
  expect(res.status).toBe(503);
  expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
  await turns(5);
  expect(lines.find((l) => l.requestId === 'held-request-2')).toMatchObject({ status: 503, errorCodes: ['SERVICE_UNAVAILABLE'] });
});
