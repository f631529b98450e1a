import { GraphQLObjectType, GraphQLSchema, isObjectType } from 'graphql';
import { allow, deny, rule, shield } from 'graphql-shield';
import { applyMiddleware } from 'graphql-middleware';
import type { AppContext } from '../context';
import { fieldCheck, refusal } from './rules';

/**
 * The rules applied through graphql-shield: one shield rule per served field wrapping the field's
 * check, `fallbackRule: deny`. Correct, but shield wraps every field of every row in promises; the
 * server uses the guard (guard.ts) and this applier is kept as the reference it is tested against.
 */
export function permissionRules(schema: GraphQLSchema) {
  const tree: Record<string, Record<string, ReturnType<ReturnType<typeof rule>>> | typeof allow> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const fields = Object.keys((type as GraphQLObjectType).getFields());
    if (fields.every((f) => fieldCheck(type.name, f) === 'inherit')) {
      tree[type.name] = allow;
      continue;
    }
    tree[type.name] = Object.fromEntries(fields.map((field) => {
      const check = fieldCheck(type.name, field);
      return [field, rule(`${type.name}.${field}`, { cache: 'no_cache' })((parent, _args, ctx: AppContext) =>
        check === 'inherit' ? true : check(parent, ctx))];
    }));
  }
  return tree;
}

export function applyShield(schema: GraphQLSchema): GraphQLSchema {
  const permissions = shield(permissionRules(schema), {
    fallbackRule: deny,
    // Domain errors (BAD_USER_INPUT …) pass; formatError masks anything unexpected.
    allowExternalErrors: true,
    fallbackError: (_thrown, _parent, _args, ctx) => refusal(ctx as unknown as AppContext),
    debug: false,
  });
  return applyMiddleware(schema, permissions);
}
