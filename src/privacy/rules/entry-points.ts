import { GraphQLSchema, isObjectType } from 'graphql';
import { deny, rule, shield } from 'graphql-shield';
import { applyMiddleware, IMiddlewareFieldMap, IMiddlewareTypeMap } from 'graphql-middleware';
import type { Audience } from '../../platform/auth/audiences';
import type { AppContext } from '../context';
import { fieldRule, typeRule } from '../policy/access';
import { STRUCTURAL } from '../policy/policy-types';
import { refusal } from './rules';

/** The types whose fields are entry points: who may call them is the policy's `Query` and `Mutation`. */
export const ROOT_TYPES = ['Query', 'Mutation'] as const;

type ShieldRule = ReturnType<ReturnType<typeof rule>>;

/** The fields of `type` the policy names, each with a rule: is the caller's audience among its readers? */
function rootRules(schema: GraphQLSchema, type: string): Record<string, ShieldRule> {
  const served = schema.getType(type);
  const declared = typeRule(type);
  if (!isObjectType(served) || !declared || declared === STRUCTURAL) return {};
  const rules: Record<string, ShieldRule> = {};
  for (const field of Object.keys(served.getFields())) {
    const readers = fieldRule(type, field)?.readers;
    if (!readers) continue; // left to the fallback rule, which refuses
    const set = new Set<Audience>(readers);
    // No cache: the check is one set lookup, cheaper than shield's cache key; it runs once per root field.
    rules[field] = rule(`${type}.${field}`, { cache: 'no_cache' })((_parent, _args, ctx: AppContext) => set.has(ctx.viewer.audience));
  }
  return rules;
}

/**
 * Who may call each entry point, through graphql-shield: one rule per root field the policy names,
 * generated from the policy's `Query` and `Mutation`, and `fallbackRule: deny` for a root field it
 * does not name. Shield's middleware costs a few promises per wrapped field, which is nothing once
 * per root field and too much once per field of every row, so only the root types are wrapped:
 * shield generates middleware for every object type of the schema, and only that of `Query` and
 * `Mutation` is applied. The fields of every other type keep their resolvers (the guard, guard.ts).
 *
 * A refused entry point resolves to `refusal(ctx)` (FORBIDDEN, or UNAUTHENTICATED without a token),
 * as a field error: the value is null and the rest of the response arrives. An error the resolver
 * throws (BAD_USER_INPUT …) passes through unchanged (`allowExternalErrors`); formatError masks
 * anything unexpected.
 */
export function applyEntryPointShield(schema: GraphQLSchema): GraphQLSchema {
  const roots = ROOT_TYPES.filter((type) => isObjectType(schema.getType(type)));
  const permissions = shield(Object.fromEntries(roots.map((type) => [type, rootRules(schema, type)])), {
    fallbackRule: deny,
    allowExternalErrors: true,
    // The field's readers let the refusal tell a staff member without X-Purpose what is missing.
    fallbackError: (_thrown, _parent, _args, ctx, info) =>
      refusal(ctx as unknown as AppContext, info?.parentType ? fieldRule(info.parentType.name, info.fieldName)?.readers : undefined),
    debug: false,
  });
  const generated = permissions.generate(schema) as IMiddlewareTypeMap;
  const middleware: IMiddlewareTypeMap = Object.fromEntries(roots.map((type) => [
    type, Object.fromEntries(Object.entries(generated[type] as IMiddlewareFieldMap).map(([field, mw]) => [field, rethrowing(mw)])),
  ]));
  return applyMiddleware(schema, middleware);
}

/**
 * Shield with `allowExternalErrors` returns what the resolver threw as the field's value; graphql-js
 * takes a returned value for an error only when it is `instanceof Error` (not so for an error from
 * another realm), and otherwise resolves the object's fields on it. The resolver's error is thrown
 * again as it was thrown, so it reaches formatError exactly as without shield.
 */
type FieldMiddleware = (resolve: (...call: unknown[]) => unknown, parent: unknown, args: unknown, ctx: unknown, info: unknown) => Promise<unknown>;

function rethrowing(generated: IMiddlewareFieldMap[string]): IMiddlewareFieldMap[string] {
  // A function, or (for logic rules such as the fallback `deny`) the function with its fragments.
  const withOptions = typeof generated === 'function' ? undefined : (generated as unknown as { resolve: FieldMiddleware });
  const mw = withOptions ? withOptions.resolve : (generated as unknown as FieldMiddleware);
  const wrapped: FieldMiddleware = async (resolve, parent, args, ctx, info) => {
    let thrown: { error: unknown } | undefined;
    const tracked = async (...call: unknown[]) => {
      try {
        return await resolve(...call);
      } catch (error) {
        thrown = { error };
        throw error;
      }
    };
    const result = await mw(tracked, parent, args, ctx, info);
    if (thrown) throw thrown.error;
    return result;
  };
  return (withOptions ? { ...withOptions, resolve: wrapped } : wrapped) as unknown as IMiddlewareFieldMap[string];
}
