import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../http/request-context';
import type { AuditSink } from './audit-writer';

export const AUDIT_UNAVAILABLE = {
  message: 'The audit trail could not be written; no personal data was returned',
  extensions: { code: 'SERVICE_UNAVAILABLE' },
};

/**
 * Before a response that carries personal data leaves, its audit event is stored. If that fails,
 * the response is replaced by an error: personal data is never returned unaudited (fail closed).
 * Where the transport holds the response (`AuditTrail.holdResponse`), the plugin hands the event in
 * and the transport waits for it and answers the failure itself; nothing of the request (its result,
 * its rows) is kept alive by the wait, which under load lasts as long as a group commit.
 */
export function auditPlugin(sink: AuditSink): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, operation, operationName }) {
          const trail = contextValue?.audit;
          if (!trail || trail.isEmpty) return;
          const { viewer } = contextValue;
          const record = {
            actorSub: viewer.sub,
            role: viewer.role ?? 'anonymous',
            orgId: viewer.orgId ?? null,
            purpose: viewer.purpose ?? null,
            operation: `${operation?.operation ?? 'query'} ${operationName ?? '(anonymous)'}`,
            tenantIds: [...trail.tenantIds],
            fields: [...trail.fields],
          };
          // A sink that throws instead of rejecting fails closed too.
          const stored = new Promise<void>((resolve) => resolve(sink.append(record)));
          if (trail.holdResponse) {
            trail.stored = stored;
            // Awaited by the transport once the response is serialised; not an unhandled rejection meanwhile.
            stored.catch(() => undefined);
            return;
          }
          try {
            await stored;
          } catch {
            const extensions = { ...AUDIT_UNAVAILABLE.extensions, requestId: contextValue.requestId };
            response.body = { kind: 'single', singleResult: { errors: [{ ...AUDIT_UNAVAILABLE, extensions }] } };
            response.http.status = 503;
          }
        },
      };
    },
  };
}
