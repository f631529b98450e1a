import type { ApolloServerPlugin } from '@apollo/server';
import type { AppContext } from '../context';
import type { AuditSink } from './audit-writer';

export const AUDIT_UNAVAILABLE = {
  message: 'The audit trail could not be written; no personal data was returned',
  extensions: { code: 'SERVICE_UNAVAILABLE' },
};

/**
 * Before a response that carries personal data leaves, its audit event is stored. If that fails,
 * the response is replaced by an error: personal data is never returned unaudited (fail closed).
 */
export function auditPlugin(sink: AuditSink): ApolloServerPlugin<AppContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, operation, operationName }) {
          const trail = contextValue?.audit;
          if (!trail || trail.isEmpty) return;
          const { viewer } = contextValue;
          try {
            await sink.append({
              actorSub: viewer.sub,
              role: viewer.role ?? 'anonymous',
              orgId: viewer.orgId ?? null,
              purpose: viewer.purpose ?? null,
              operation: `${operation?.operation ?? 'query'} ${operationName ?? '(anonymous)'}`,
              tenantIds: [...trail.tenantIds],
              fields: [...trail.fields],
            });
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
