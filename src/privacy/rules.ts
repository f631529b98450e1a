/**
 * The rule of every field, from the policy: one synchronous check per (type, field). How the rules
 * are applied to the schema (graphql-shield, or the guard) is a separate concern; both take them
 * from here.
 */
import { auditSlot } from '../audit/audit-trail';
import { ForbiddenError, UnauthenticatedError } from '../common/errors';
import type { AppContext } from '../context';
import { fieldRule, grantOf, typeRule } from './access';
import type { Audience } from './audiences';
import { STRUCTURAL } from './policy-types';

/** True when the field may be resolved; otherwise the error it resolves to. */
export type FieldCheck = (parent: unknown, ctx: AppContext) => true | Error;

export function refusal(ctx: AppContext | undefined): Error {
  return ctx?.viewer?.role ? new ForbiddenError() : new UnauthenticatedError();
}

const closed: FieldCheck = (_parent, ctx) => refusal(ctx);

/**
 * Whether an audience is among a field's readers. The rows of one list share their reader, so the
 * last answer is kept: the common case is one string comparison, not a set lookup.
 */
function readerTest(readers: readonly Audience[]): (audience: Audience) => boolean {
  const set = new Set(readers);
  let last: Audience | undefined;
  let lastAnswer = false;
  return (audience) => {
    if (audience !== last) {
      last = audience;
      lastAnswer = set.has(audience);
    }
    return lastAnswer;
  };
}

/**
 * The check of `type.field`, or `inherit` for structural types (connections, addresses), whose
 * fields are open to whoever was allowed to reach the object. A field the policy does not name is
 * closed. A field of a table-backed type needs a row stamped by the scoped reader for that type,
 * and a personal field needs the row's purpose to be running; an allowed personal field goes into
 * the request's audit trail.
 *
 * Worked out from the declaration once per field (reader set, table, personal), so that what runs
 * for every field of every row is a few property reads: no lookup in the policy, no promise.
 */
export function fieldCheck(type: string, field: string): FieldCheck | 'inherit' {
  const rule = typeRule(type);
  if (rule === STRUCTURAL) return 'inherit';
  const declared = fieldRule(type, field);
  if (!declared) return closed;
  const reads = readerTest(declared.readers);
  if (!rule?.table) return (_parent, ctx) => reads(ctx.viewer.audience) || refusal(ctx);
  if (!declared.personal) {
    return (parent, ctx) => {
      const grant = grantOf(parent);
      return (grant !== undefined && grant.type === type && reads(ctx.viewer.audience)) || refusal(ctx);
    };
  }
  const slot = auditSlot(`${type}.${field}`);
  return (parent, ctx) => {
    const grant = grantOf(parent);
    if (grant === undefined || grant.type !== type || !grant.open || !reads(ctx.viewer.audience)) return refusal(ctx);
    ctx.audit.record(slot, grant.subject);
    return true;
  };
}
