import { defaultFieldResolver, GraphQLSchema } from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { ROOT_TYPES } from './entry-points';
import { guardField, Resolve } from './rules';

/** Marks a resolver the guard wrapped, with the field it guards (the schema-walk test reads it). */
export const GUARDED = Symbol('privacy.guarded');

/**
 * Applies the field rules by wrapping each field's resolver in its synchronous rule (`guardField`):
 * no promise, no middleware chain, so the cost per field is one function call rather than shield's
 * promise per field per row. Every field of every non-structural type is wrapped, except the entry
 * points (`Query`, `Mutation`), which graphql-shield checks once per request (entry-points.ts); a
 * field the policy does not name gets a rule that always refuses (fail closed). Returns a new
 * schema; the input is untouched.
 */
export function applyGuard(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set<string>(ROOT_TYPES);
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => {
      if (roots.has(typeName)) return config;
      const guarded = guardField(typeName, fieldName, (config.resolve ?? defaultFieldResolver) as Resolve);
      if (guarded === 'inherit') return config;
      Object.defineProperty(guarded, GUARDED, { value: `${typeName}.${fieldName}` });
      return { ...config, resolve: guarded as typeof config.resolve };
    },
  });
}
