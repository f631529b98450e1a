/**
 * Whether an error means the database could not be reached or went away (as opposed to a bug or a
 * constraint): the client gets SERVICE_UNAVAILABLE, to retry, instead of an internal error.
 */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', '57P01', '57P02', '57P03']);
const CONNECTION_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|not queryable|Connection is not established|Cannot use a pool after calling end/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  type Chain = { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; thrownValue?: unknown };
  // graphql-js wraps a thrown non-Error (the pg driver throws plain socket errors) in `thrownValue`.
  for (let e = error as Chain | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || e.code.startsWith('08'))) return true;
    if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
    e = (e.driverError ?? e.cause ?? e.thrownValue) as Chain | undefined;
  }
  return false;
}
