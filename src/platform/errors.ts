import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { isDatabaseUnavailable } from './db/availability';
import { currentLogger, currentRequest, errorFields } from './logging/logger';

/**
 * The one error module. Domain code throws these; `formatError` maps them once to GraphQL errors
 * and turns everything else into a bare INTERNAL_SERVER_ERROR, so no stack trace or SQL text
 * ever reaches a client.
 */
export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';

const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

export class DomainError extends GraphQLError {
  constructor(readonly code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
    this.name = 'DomainError';
  }

  /** For errors raised before execution (while building the context): the HTTP status of the response. */
  withHttpStatus(): this {
    this.extensions.http = { status: HTTP_STATUS[this.code] };
    return this;
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'Not allowed for this role or purpose') {
    super('FORBIDDEN', message);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'A valid bearer token is required') {
    super('UNAUTHENTICATED', message);
  }
}

export class BadUserInputError extends DomainError {
  /** `field` names the argument or input field at fault, never its value. */
  constructor(message: string, field?: string) {
    super('BAD_USER_INPUT', message, field ? { field } : {});
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

/** Codes graphql-js and Apollo attach to request errors; their messages name no data. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'BAD_REQUEST',
]);

/** Every error a client gets names its request: `extensions.requestId`, as the `x-request-id` header. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const result = formatErrorBody(formatted, error);
  const requestId = currentRequest()?.requestId;
  return requestId ? { ...result, extensions: { ...result.extensions, requestId } } : result;
}

function formatErrorBody(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    const { http: _http, ...extensions } = original.extensions as Record<string, unknown>;
    return { message: original.message, path: formatted.path, locations: formatted.locations, extensions };
  }
  const code = formatted.extensions?.code;
  if (original instanceof GraphQLError && typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  if (isDatabaseUnavailable(original)) {
    return { message: 'The database is unavailable; try again shortly', path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
  }
  reportInternalError(original);
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * Unexpected errors go to the server's log, never to the client. Only the error's class, code and
 * message (a database error's message names the failing constraint, its detail — not logged — the values).
 */
function reportInternalError(error: unknown): void {
  currentLogger().error(errorFields(error), 'internal error');
}
