import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { DestinationStream, Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured JSON logs (pino). A log line names what happened — request id, operation name, status,
 * error codes, role and purpose — never a personal value: no variables, no query text, no response
 * data, no database error detail or parameters, no IP address.
 *
 * Level: LOG_LEVEL, else `info`; under jest `silent` unless LOG_LEVEL is set. The logger exists before
 * the configuration is read, so an unknown LOG_LEVEL starts it at `info` (pino would throw on import)
 * and the configuration then refuses it with its message.
 */
export function createLogger(options: { stream?: DestinationStream; level?: string } = {}): Logger {
  const wanted = options.level ?? (process.env.LOG_LEVEL || undefined) ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info');
  const level = wanted in pino.levels.values || wanted === 'silent' ? wanted : 'info';
  const settings = {
    level,
    base: { service: 'mijande-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return options.stream ? pino(settings, options.stream) : pino(settings);
}

/** The process's logger; a request logs through its child (`currentLogger()`), which adds the request id. */
export const logger: Logger = createLogger();

/** What the request's one log line carries besides the HTTP status; the GraphQL plugin fills it in. */
export interface RequestLogFields {
  operationName?: string;
  operationType?: string;
  role?: string;
  purpose?: string;
  errorCodes?: string[];
}

export interface RequestScope {
  requestId: string;
  log: Logger;
  fields: RequestLogFields;
  /** Read when the response has gone out, so a plugin that replaces the response later is seen too. */
  finalErrorCodes?: () => string[] | undefined;
}

const scope = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` with the request's scope: everything it logs, however deep, carries `requestId`. */
export function runInRequestScope<T>(root: Logger, requestId: string, fn: (scope: RequestScope) => T): T {
  const request: RequestScope = { requestId, log: root.child({ requestId }), fields: {} };
  return scope.run(request, () => fn(request));
}

export function currentRequest(): RequestScope | undefined {
  return scope.getStore();
}

/** The current request's logger, or the process's outside a request. */
export function currentLogger(): Logger {
  return scope.getStore()?.log ?? logger;
}

/**
 * What may be logged of an unexpected error: its class, code and message. A database error's detail,
 * parameters and query text (which carry values) are left out; a data-exception message (SQLSTATE
 * class 22, e.g. `invalid input syntax for type uuid: "…"`) can echo the input, so its quoted parts
 * are masked.
 */
export function errorFields(error: unknown): { error?: string; code?: string; message?: string } {
  const e = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown; driverError?: { code?: unknown } };
  const code = typeof e.code === 'string' ? e.code : typeof e.driverError?.code === 'string' ? e.driverError.code : undefined;
  let message = typeof e.message === 'string' ? e.message : undefined;
  if (message && code && /^22/.test(code)) message = message.replace(/"[^"]*"/g, '"…"');
  return { error: typeof e.name === 'string' ? e.name : undefined, code, message: message?.slice(0, 500) };
}

/** Apollo Server's own messages (start-up warnings, unexpected errors) as JSON lines, with the request id inside a request. */
export function apolloLogger(root: Logger = logger): { debug(m?: unknown): void; info(m?: unknown): void; warn(m?: unknown): void; error(m?: unknown): void } {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (message?: unknown) =>
    (currentRequest()?.log ?? root)[level]({ source: 'apollo' }, String(message).slice(0, 500));
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
