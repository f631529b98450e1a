import { GraphQLSchema, isObjectType } from 'graphql';
import { allow, deny, rule, shield } from 'graphql-shield';
import { applyMiddleware } from 'graphql-middleware';
import { ForbiddenError, UnauthenticatedError } from '../common/errors';
import type { AppContext } from '../context';
import { decide, fieldRule as declaredField, grantOf } from './access';
import { policy } from './policy';
import { STRUCTURAL } from './policy-types';

function refusal(ctx: AppContext): Error {
  return ctx?.viewer?.role ? new ForbiddenError() : new UnauthenticatedError();
}

/**
 * One shield rule per policy field; each asks the policy, per parent row. A personal field that is
 * allowed goes into the request's audit trail.
 */
function fieldRule(type: string, field: string) {
  const personal = Boolean(declaredField(type, field)?.personal);
  return rule(`${type}.${field}`, { cache: 'no_cache' })((parent, _args, ctx: AppContext) => {
    if (decide(ctx.viewer, type, field, parent) !== 'allow') return refusal(ctx);
    if (personal) ctx.audit.record(type, field, grantOf(parent)?.subject);
    return true;
  });
}

/**
 * The shield rule tree, generated from the policy and nothing else. A field the policy does not
 * name falls to `fallbackRule: deny`.
 */
export function permissionRules(schema: GraphQLSchema) {
  const tree: Record<string, Record<string, ReturnType<ReturnType<typeof rule>>> | typeof allow> = {};
  for (const [type, rule] of Object.entries(policy.types)) {
    // Declared but not (yet) served; the schema-walk test reports such drift in both directions.
    if (!schema.getType(type)) continue;
    if (rule === STRUCTURAL) {
      tree[type] = allow;
      continue;
    }
    const served = (schema.getType(type) as { getFields?: () => Record<string, unknown> }).getFields?.() ?? {};
    tree[type] = Object.fromEntries(Object.keys(rule.fields).filter((f) => f in served).map((field) => [field, fieldRule(type, field)]));
  }
  return tree;
}

export function applyPrivacyRules(schema: GraphQLSchema): GraphQLSchema {
  const permissions = shield(permissionRules(schema), {
    fallbackRule: deny,
    // Domain errors (BAD_USER_INPUT …) pass; formatError masks anything unexpected.
    allowExternalErrors: true,
    fallbackError: (_thrown, _parent, _args, ctx) => refusal(ctx as unknown as AppContext),
    debug: false,
  });
  return applyMiddleware(schema, permissions);
}

/** Object types of the schema that carry data (introspection types excluded). */
export function dataTypes(schema: GraphQLSchema) {
  return Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && !t.name.startsWith('__'));
}
