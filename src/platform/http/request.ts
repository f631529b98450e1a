import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import proxyAddr from 'proxy-addr';
import type { TrustProxy } from '../config';
import { currentRequest } from '../logging/logger';

/** What the HTTP layer knows of a request before GraphQL sees it. */
export interface RequestInfo {
  /** Echoed in `x-request-id`, every log line and every error's extensions. */
  id: string;
  startedAt: number;
  /**
   * The client's address (rate limits for unauthenticated callers): the socket's peer, or with
   * TRUST_PROXY the first address of `X-Forwarded-For`, from the socket outwards, that is not a
   * trusted proxy. A forwarded address from an untrusted peer is never believed.
   */
  ip: string;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function requestInfo(req: IncomingMessage, trustProxy?: TrustProxy): RequestInfo {
  const given = header(req, 'x-request-id');
  return {
    id: given && REQUEST_ID.test(given) ? given : randomUUID(),
    startedAt: Date.now(),
    ip: clientAddress(req, trustProxy),
  };
}

function clientAddress(req: IncomingMessage, trustProxy?: TrustProxy): string {
  const peer = req.socket.remoteAddress;
  if (!peer) return 'unknown';
  if (!trustProxy) return peer;
  // proxy-addr parses X-Forwarded-For and walks it against the trust function (a malformed entry ends the walk).
  return proxyAddr(req, trustProxy);
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, info?: RequestInfo, headers: Record<string, string> = {}): void {
  // The request's log line names the code the client got, whatever GraphQL had answered before.
  const scope = currentRequest();
  if (scope) {
    scope.finalErrorCodes = undefined;
    scope.fields.errorCodes = [code];
  }
  sendJson(res, status, { errors: [{ message, extensions: { code, ...(info ? { requestId: info.id } : {}) } }] }, headers);
}

export const TOO_LARGE = Symbol('too large');

/** The parsed JSON body, or TOO_LARGE past `limit` bytes; invalid JSON is passed on as text for Apollo to refuse. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(header(req, 'content-length') ?? 0);
  if (declared > limit) return TOO_LARGE;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) return TOO_LARGE;
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

/**
 * Runs before routing, in order; returns true when it has answered the request itself
 * (a rate limit, say). Hardening plugs in here without touching the GraphQL route.
 */
export type PreHandler = (req: IncomingMessage, res: ServerResponse, info: RequestInfo) => Promise<boolean> | boolean;

/**
 * Set on every response before anything else: its request id, and that no cache (a browser's, a
 * proxy's) keeps it, since a GraphQL answer can carry personal data, and that it is never sniffed
 * as another content type.
 */
export function setResponseHeaders(res: ServerResponse, info: RequestInfo): void {
  res.setHeader('x-request-id', info.id);
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
}
