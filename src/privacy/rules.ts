/**
 * The rule of every field, from the policy: one synchronous check per (type, field). How the rules
 * are applied to the schema (graphql-shield, or the guard) is a separate concern; both take them
 * from here.
 */
import { ForbiddenError, UnauthenticatedError } from '../common/errors';
import type { AppContext } from '../context';
import { decisionFor, fieldRule, grantOf, typeRule } from './access';
import { STRUCTURAL } from './policy-types';

/** True when the field may be resolved; otherwise the error it resolves to. */
export type FieldCheck = (parent: unknown, ctx: AppContext) => true | Error;

export function refusal(ctx: AppContext | undefined): Error {
  return ctx?.viewer?.role ? new ForbiddenError() : new UnauthenticatedError();
}

const closed: FieldCheck = (_parent, ctx) => refusal(ctx);

/**
 * The check of `type.field`, or `inherit` for structural types (connections, addresses), whose
 * fields are open to whoever was allowed to reach the object. A field the policy does not name is
 * closed. A personal field that is allowed goes into the request's audit trail.
 */
export function fieldCheck(type: string, field: string): FieldCheck | 'inherit' {
  const rule = typeRule(type);
  if (rule === STRUCTURAL) return 'inherit';
  const declared = fieldRule(type, field);
  if (!declared) return closed;
  const decision = decisionFor(type, field);
  const auditPath = declared.personal ? `${type}.${field}` : undefined;
  return (parent, ctx) => {
    if (decision(ctx.viewer, parent) !== 'allow') return refusal(ctx);
    if (auditPath) ctx.audit.record(auditPath, grantOf(parent)?.subject);
    return true;
  };
}
