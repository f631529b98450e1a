import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { AUDIT_UNAVAILABLE } from '../audit/audit-plugin';
import { settleErrorCodes } from '../logging/request-log';
import { readJsonBody, RequestInfo, sendError, TOO_LARGE } from './request';
import type { RequestContext } from './request-context';
import type { TrustedDocuments } from './trusted-documents';

/** Request bodies above this are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type ContextFactory<C extends RequestContext> = (req: IncomingMessage, info: RequestInfo) => Promise<C>;

/**
 * `/graphql`: hands the request to Apollo and writes its answer. With `trusted`, a request that does
 * not name one of its documents is refused before Apollo sees it.
 */
export async function handleGraphQL<C extends RequestContext>(
  apollo: ApolloServer<C>, context: ContextFactory<C>, req: IncomingMessage, res: ServerResponse, info: RequestInfo,
  trusted?: TrustedDocuments,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  let body = method === 'POST' ? await readJsonBody(req, MAX_BODY_BYTES) : undefined;
  if (body === TOO_LARGE) {
    sendError(res, 413, 'PAYLOAD_TOO_LARGE', `Request body larger than ${MAX_BODY_BYTES} bytes`, info, { connection: 'close' });
    return;
  }
  let search = url.search;
  if (trusted) {
    const resolved = trusted.resolve(method, search, body);
    if ('refused' in resolved) {
      sendError(res, resolved.status, resolved.refused, resolved.message, info);
      return;
    }
    ({ search, body } = resolved);
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  let requestContext: C | undefined;
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method, headers, search, body },
    context: async () => {
      requestContext = await context(req, info);
      // This route waits for the audit event below: Apollo serialises the response meanwhile.
      requestContext.audit.holdResponse = true;
      return requestContext;
    },
  });
  // The response is serialised and every plugin has run: what the log line needs is read now, and
  // nothing of the request but the serialised response is kept alive while its event is stored.
  settleErrorCodes();
  const stored = requestContext?.audit.stored;
  requestContext = undefined;
  // Not a byte of a response with personal data before its audit event is stored (fail closed).
  const audited = await (stored?.then(() => true, () => false) ?? true);
  if (!audited) {
    sendError(res, 503, AUDIT_UNAVAILABLE.extensions.code, AUDIT_UNAVAILABLE.message, info);
    return;
  }
  for (const [key, value] of result.headers) res.setHeader(key, value);
  res.setHeader('x-request-id', info.id);
  res.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    res.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) res.write(chunk);
  res.end();
}
