import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DataSource } from 'typeorm';
import { currentLogger, errorFields } from '../logging/logger';
import { RequestInfo, sendError, sendJson } from './request';

/** How long `/readyz` waits for the database before it answers 503. */
export const READY_TIMEOUT_MS = 2000;

export type Ping = () => Promise<void>;

/** What `/readyz` checks, by name: the name goes to the log when that check fails. */
export type ReadinessChecks = Record<string, Ping>;

/** `SELECT 1` on the pool: the database is reachable and answers. */
export function databasePing(dataSource: DataSource): Ping {
  return async () => {
    await dataSource.query('SELECT 1');
  };
}

export const HEALTH_PATHS = new Set(['/healthz', '/readyz']);

/**
 * `/healthz`: the process is alive and serving (200 while it runs).
 * `/readyz`: it can serve requests — every check (the database's `SELECT 1`, the audit store) answered
 * within the timeout — 200, else 503. A bare `Ping` is the one check `database`.
 * Neither says why beyond that; the reason of a failed check goes to the log (class and code only).
 */
export async function handleHealth(
  path: string, req: IncomingMessage, res: ServerResponse, info: RequestInfo, checks: Ping | ReadinessChecks, timeoutMs = READY_TIMEOUT_MS,
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
  const named = typeof checks === 'function' ? { database: checks } : checks;
  // Checked together: an unready answer still comes within the timeout, and each failure is logged.
  const results = await Promise.all(Object.entries(named).map(([check, ping]) => withTimeout(ping(), timeoutMs).then(
    () => true,
    (error) => {
      currentLogger().warn({ check, ...errorFields(error) }, 'readiness check failed');
      return false;
    },
  )));
  const ready = results.every(Boolean);
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
