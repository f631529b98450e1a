/**
 * The rule of every field below the entry points, from the policy: one synchronous check per
 * (type, field), applied to the schema by the guard (guard.ts). The entry points themselves are
 * checked by graphql-shield (entry-points.ts); both refuse with `refusal`.
 */
import { getLocation, GraphQLError, responsePathAsArray, type FieldNode, type GraphQLResolveInfo, type SourceLocation } from 'graphql';
import { auditSlot } from '../../platform/audit/audit-trail';
import { ForbiddenError, UnauthenticatedError } from '../../platform/errors';
import type { AppContext } from '../context';
import { fieldRule, grantOf, typeRule } from '../policy/access';
import type { Audience } from '../../platform/auth/audiences';
import { listOf } from '../../platform/auth/authenticate';
import { STRUCTURAL } from '../policy/policy-types';

/**
 * UNAUTHENTICATED without a token, else FORBIDDEN. A staff member who declared no purpose, refused
 * a field some purpose reads (`readers`), is told that X-Purpose is missing, with the token's own
 * purposes: the likely mistake, and nothing the caller does not hold already.
 */
export function refusal(ctx: AppContext | undefined, readers?: readonly Audience[]): GraphQLError {
  const viewer = ctx?.viewer;
  if (!viewer?.role) return UNAUTHENTICATED;
  if (viewer.role === 'staff' && !viewer.purpose && readers?.some((a) => a.startsWith('staff:'))) {
    return new ForbiddenError(`The X-Purpose header is missing: declare one of this token's purposes (${listOf(viewer.purposes)})`);
  }
  return FORBIDDEN;
}

/**
 * The two refusals that name nothing of the caller, made once: a response can hold one for every
 * closed field of every closed row (a contractor's done orders), and a fresh error apiece cost a
 * stack trace each. graphql-js gives each refused field its own located error, with its path,
 * around the shared one. Frozen, so that nothing can write one request's detail into another's.
 */
const shared = <E extends ForbiddenError | UnauthenticatedError>(error: E): E => {
  Object.freeze(error.extensions);
  return Object.freeze(error);
};
const FORBIDDEN = shared(new ForbiddenError());
const UNAUTHENTICATED = shared(new UnauthenticatedError());

/**
 * A refusal as a field's answer: a rejected promise, not a returned error. graphql-js 16 drops the
 * pending promises of a list's other items when one fails synchronously where null is not allowed
 * (graphql/graphql-js#3528), and their own refusals then reject unhandled, which by default ends a
 * Node process: any caller could stop the server with such a query. Refused a tick later, a field
 * never fails synchronously, so every item is awaited.
 */
function refusedField(ctx: AppContext | undefined, info: GraphQLResolveInfo, readers?: readonly Audience[]): Promise<never> {
  return Promise.reject(locatedRefusal(refusal(ctx, readers), info.fieldNodes, responsePathAsArray(info.path)));
}

/** Where each field of the query is: one look-up per field node, shared by the rows of a list. */
const fieldLocations = new WeakMap<readonly FieldNode[], SourceLocation[] | undefined>();

function locationsOf(nodes: readonly FieldNode[]): SourceLocation[] | undefined {
  if (!fieldLocations.has(nodes)) {
    const found = nodes.flatMap((n) => (n.loc ? [Object.freeze(getLocation(n.loc.source, n.loc.start))] : []));
    // Frozen: every refusal of the field shares them.
    fieldLocations.set(nodes, found.length ? Object.freeze(found) as SourceLocation[] : undefined);
  }
  return fieldLocations.get(nodes);
}

/**
 * The refusal located at the field, as graphql-js's `locatedError` would wrap it (graphql-js passes
 * on an error that carries its path as it is), built as a plain GraphQLError object rather than
 * constructed: an Error's construction (its stack trace through every await of the execution, the
 * location of the field worked out from the query's text) cost about 10 µs, and a response holds a
 * refusal for every closed field of every closed row (a contractor's page of done orders: 20 or
 * more). What a response shows of an error is its message, locations, path and extensions; no
 * stack reaches a client (formatError), and the shared refusal stays its `originalError`.
 */
export function locatedRefusal(error: GraphQLError, nodes: readonly FieldNode[], path: ReadonlyArray<string | number>): GraphQLError {
  const located: GraphQLError = Object.create(GraphQLError.prototype);
  return Object.assign(located, {
    name: 'GraphQLError',
    message: error.message,
    locations: locationsOf(nodes),
    path,
    nodes,
    extensions: error.extensions,
    originalError: error,
  });
}

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

/** A field resolver; the rules wrap one. */
export type Resolve = (parent: unknown, args: Record<string, unknown>, ctx: AppContext, info: GraphQLResolveInfo) => unknown;

/**
 * The rule of `type.field` around `next` (the field's resolver): `next`'s answer when the field
 * may be resolved, otherwise the refusal. `inherit` for structural types (connections,
 * addresses), whose fields are open to whoever was allowed to reach the object. A field the policy
 * does not name is closed. A field of a table-backed type needs a row stamped by the scoped reader
 * for that type, and a personal field needs the row's purpose to be running; an allowed personal
 * field goes into the request's audit trail.
 *
 * Worked out from the declaration once per field (reader set, table, personal), so that what runs
 * for every field of every row is a few property reads: no lookup in the policy, no promise, and
 * no second call between the rule and the resolver.
 */
export function guardField(type: string, field: string, next: Resolve): Resolve | 'inherit' {
  const rule = typeRule(type);
  if (rule === STRUCTURAL) return 'inherit';
  const declared = fieldRule(type, field);
  if (!declared) return (_parent, _args, ctx, info) => refusedField(ctx, info);
  const reads = readerTest(declared.readers);
  const readers = declared.readers;
  if (!rule?.table) return (parent, args, ctx, info) => (reads(ctx.viewer.audience) ? next(parent, args, ctx, info) : refusedField(ctx, info, readers));
  if (!declared.personal) {
    return (parent, args, ctx, info) => {
      const grant = grantOf(parent);
      return grant !== undefined && grant.type === type && reads(ctx.viewer.audience) ? next(parent, args, ctx, info) : refusedField(ctx, info, readers);
    };
  }
  const slot = auditSlot(`${type}.${field}`);
  return (parent, args, ctx, info) => {
    const grant = grantOf(parent);
    if (grant === undefined || grant.type !== type || !grant.open || !reads(ctx.viewer.audience)) return refusedField(ctx, info, readers);
    ctx.audit.record(slot, grant.subject);
    return next(parent, args, ctx, info);
  };
}
