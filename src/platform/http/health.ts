import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DataSource } from 'typeorm';
import { currentLogger, errorFields } from '../logging/logger';
import { RequestInfo, sendError, sendJson } from './request';

/** How long `/readyz` waits for the database before it answers 503. */
export const READY_TIMEOUT_MS = 2000;

export type Ping = () => Promise<void>;

/** `SELECT 1` on the pool: the database is reachable and answers. */
export function databasePing(dataSource: DataSource): Ping {
  return async () => {
    await dataSource.query('SELECT 1');
  };
}

export const HEALTH_PATHS = new Set(['/healthz', '/readyz']);

/**
 * `/healthz`: the process is alive and serving (200 while it runs).
 * `/readyz`: it can serve requests — the database answered `SELECT 1` within the timeout — 200, else 503.
 * Neither says why beyond that; the reason of a failed check goes to the log (class and code only).
 */
export async function handleHealth(
  path: string, req: IncomingMessage, res: ServerResponse, info: RequestInfo, ping: Ping, timeoutMs = READY_TIMEOUT_MS,
): Promise<void> {
  const headers = { 'cache-control': 'no-store' };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET', info, { ...headers, allow: 'GET, HEAD' });
    return;
  }
  if (path === '/healthz') {
    sendJson(res, 200, { status: 'ok' }, headers);
    return;
  }
  const ready = await withTimeout(ping(), timeoutMs).then(
    () => true,
    (error) => {
      currentLogger().warn({ check: 'database', ...errorFields(error) }, 'readiness check failed');
      return false;
    },
  );
  sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable' }, headers);
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { name: 'TimeoutError' })), ms);
  });
  work.catch(() => undefined); // a late failure after the timeout is not unhandled
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
