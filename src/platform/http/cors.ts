import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import { RequestInfo, sendError } from './request';

/** What a browser app may send across origins: the token, the purpose, JSON, and its own request id. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'X-Purpose', 'Content-Type', 'X-Request-Id'];
/** What it may read back beyond the CORS-safelisted headers: the request id to quote, and when to retry after a 429. */
export const CORS_EXPOSED_HEADERS = ['X-Request-Id', 'Retry-After'];
/** How long a browser may reuse a preflight's answer. */
export const CORS_MAX_AGE_SECONDS = 600;

export type CorsHandler = (req: IncomingMessage, res: ServerResponse, info: RequestInfo) => Promise<boolean>;

/**
 * CORS for `/graphql`, by the `cors` package: a request whose `Origin` is one of `origins` gets
 * `Access-Control-Allow-Origin` with that origin (never `*`), and its preflight is answered 204 with
 * the methods and headers above; any other origin gets no CORS header at all, so its browser keeps
 * the answer from the page. No credentials: the apps send a bearer token, never a cookie. Apollo's
 * CSRF prevention still refuses the simple requests a browser sends without a preflight.
 *
 * Returns true when it has answered the request: an allowed preflight (204), or a preflight from
 * an origin not listed (403, without CORS headers).
 */
export function corsHandler(origins: readonly string[]): CorsHandler {
  const allowed = new Set(origins);
  const middleware = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: false,
    maxAge: CORS_MAX_AGE_SECONDS,
    optionsSuccessStatus: 204,
  });
  return (req, res, info) =>
    new Promise<boolean>((resolve, reject) => {
      // `cors` calls next() when the request goes on (any non-preflight, and a preflight it did not allow); it ends an allowed preflight itself.
      middleware(req, res, (error?: unknown) => {
        if (error) return reject(error);
        if (req.method === 'OPTIONS') {
          sendError(res, 403, 'FORBIDDEN', 'Cross-origin requests from this origin are not allowed', info);
          return resolve(true);
        }
        resolve(false);
      });
      if (res.writableEnded) resolve(true);
    });
}
