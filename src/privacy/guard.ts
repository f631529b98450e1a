import { defaultFieldResolver, GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import type { AppContext } from '../context';
import { fieldCheck } from './rules';

/** Marks a resolver the guard wrapped, with the field it guards (the schema-walk test reads it). */
export const GUARDED = Symbol('privacy.guarded');

/**
 * Applies the field rules by wrapping each field's resolver in a synchronous check: no promise,
 * no middleware chain, so the cost per field is one function call rather than shield's promise per
 * field per row. Every field of every non-structural type is wrapped; a field the policy does not
 * name gets a check that always refuses (fail closed). Returns a new schema; the input is untouched.
 */
export function applyGuard(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => {
      const check = fieldCheck(typeName, fieldName);
      if (check === 'inherit') return config;
      const resolve: GraphQLFieldResolver<unknown, AppContext> = config.resolve ?? defaultFieldResolver;
      const guarded: GraphQLFieldResolver<unknown, AppContext> = (parent, args, ctx, info) => {
        const allowed = check(parent, ctx);
        return allowed === true ? resolve(parent, args, ctx, info) : allowed;
      };
      Object.defineProperty(guarded, GUARDED, { value: `${typeName}.${fieldName}` });
      return { ...config, resolve: guarded };
    },
  });
}
