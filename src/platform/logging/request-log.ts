import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { RequestContext } from '../http/request-context';
import type { RequestInfo } from '../http/request';
import { currentRequest, Logger, RequestScope, runInRequestScope } from './logger';

/** The paths the server answers; any other is logged as `(other)`: a path may carry anything, a name too. */
const KNOWN_PATHS = new Set(['/graphql', '/healthz', '/readyz']);
/** Probes are polled every few seconds: logged at debug unless they fail. */
const QUIET_PATHS = new Set(['/healthz', '/readyz']);
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/**
 * Serves one HTTP request inside its request scope and writes its one log line when the response has
 * gone out: request id, method, path (one of ours, never the query string: a GET carries the query and
 * variables there), status, duration, and what the GraphQL plugin recorded (operation, role, purpose, error
 * codes). No IP address, no header, no variable, no query text, no response data.
 */
export function serveWithRequestLog(
  root: Logger, req: IncomingMessage, res: ServerResponse, info: RequestInfo, handle: () => Promise<void>, onDone?: (outcome: RequestOutcome) => void,
): void {
  runInRequestScope(root, info.id, (scope) => {
    res.once('close', () => {
      const outcome = writeRequestLine(scope, req, res, info);
      onDone?.(outcome);
    });
    void handle();
  });
}

/** What the request's log line says, for the metrics: the same closed set of fields. */
export interface RequestOutcome {
  path: string;
  status: number | undefined;
  durationMs: number;
  operationName?: unknown;
  role?: unknown;
  purpose?: unknown;
  errorCodes?: readonly string[];
}

function writeRequestLine(scope: RequestScope, req: IncomingMessage, res: ServerResponse, info: RequestInfo): RequestOutcome {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const status = res.writableFinished ? res.statusCode : undefined;
  const errorCodes = scope.finalErrorCodes?.() ?? scope.fields.errorCodes;
  const line = {
    method: req.method && /^[A-Z]{1,10}$/.test(req.method) ? req.method : '(other)',
    path: KNOWN_PATHS.has(path) ? path : '(other)',
    status,
    ...(res.writableFinished ? {} : { aborted: true }),
    durationMs: Date.now() - info.startedAt,
    ...scope.fields,
    ...(errorCodes?.length ? { errorCodes } : {}),
  };
  const quiet = QUIET_PATHS.has(path) && status !== undefined && status < 400;
  const level = quiet ? 'debug' : status === undefined || status >= 500 ? 'warn' : 'info';
  scope.log[level](line, 'request');
  return { ...scope.fields, path: line.path, status, durationMs: line.durationMs, errorCodes };
}

type Ctx = GraphQLRequestContext<RequestContext>;

/**
 * The GraphQL side of a request's log line: operation name and type, role and purpose, the error
 * codes of the response. It also makes sure every error of a response names the request
 * (`extensions.requestId`, as in the `x-request-id` header); `formatError` already adds it to the
 * errors Apollo formats, this covers errors a plugin puts in later.
 */
export function requestLogPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart(start) {
      const scope = currentRequest();
      const given = start.request.operationName;
      if (scope && given && GRAPHQL_NAME.test(given)) scope.fields.operationName = given;
      return {
        async didResolveOperation(ctx) {
          if (scope) describe(scope, ctx);
        },
        async willSendResponse(ctx) {
          const requestId = ctx.contextValue?.requestId ?? scope?.requestId;
          if (requestId) stampRequestId(ctx, requestId);
          if (!scope) return;
          describe(scope, ctx);
          scope.finalErrorCodes = () => errorCodesOf(ctx);
        },
      };
    },
  };
}

/**
 * Reads the current request's final error codes now and lets go of the GraphQL request they were read
 * from (its result, its context): for a transport that keeps the request open after Apollo is done.
 */
export function settleErrorCodes(): void {
  const scope = currentRequest();
  if (!scope?.finalErrorCodes) return;
  scope.fields.errorCodes = scope.finalErrorCodes();
  scope.finalErrorCodes = undefined;
}

function describe(scope: RequestScope, ctx: Ctx): void {
  if (ctx.operationName) scope.fields.operationName = ctx.operationName;
  if (ctx.operation) scope.fields.operationType = ctx.operation.operation;
  const viewer = ctx.contextValue?.viewer;
  if (viewer) {
    scope.fields.role = viewer.role ?? 'anonymous';
    if (viewer.purpose) scope.fields.purpose = viewer.purpose;
  }
}

function errorsOf(ctx: Ctx): readonly GraphQLFormattedError[] | undefined {
  const body = ctx.response.body;
  return body?.kind === 'single' ? body.singleResult.errors : body?.initialResult.errors;
}

function errorCodesOf(ctx: Ctx): string[] | undefined {
  const codes = errorsOf(ctx)?.map((e) => String(e.extensions?.code ?? 'UNKNOWN'));
  return codes?.length ? [...new Set(codes)] : undefined;
}

/** Copies, never mutates: an error object may be a shared constant. */
function stampRequestId(ctx: Ctx, requestId: string): void {
  const body = ctx.response.body;
  const errors = errorsOf(ctx);
  if (!body || !errors?.some((e) => e.extensions?.requestId !== requestId)) return;
  const stamped = errors.map((e) => (e.extensions?.requestId === requestId ? e : { ...e, extensions: { ...e.extensions, requestId } }));
  if (body.kind === 'single') body.singleResult = { ...body.singleResult, errors: stamped };
  else body.initialResult = { ...body.initialResult, errors: stamped };
}
