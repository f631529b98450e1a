/**
 * The entry points (`Query`, `Mutation`) are checked by graphql-shield alone, with rules generated
 * from the policy's `Query` and `Mutation` and `fallbackRule: deny`; shield wraps the root fields
 * and nothing else, so the fields of every row keep the guard's synchronous rules.
 */
import { execute, GraphQLObjectType, GraphQLSchema, GraphQLString, isObjectType, parse } from 'graphql';
import type { Audience } from '../../src/platform/auth/audiences';
import { BadUserInputError } from '../../src/platform/errors';
import { applyEntryPointShield, ROOT_TYPES } from '../../src/privacy/rules/entry-points';
import { GUARDED } from '../../src/privacy/rules/guard';
import { buildBareSchema, buildProtectedSchema } from '../../src/app/schema';

const isRoot = (type: string) => (ROOT_TYPES as readonly string[]).includes(type);

function ctxOf(audience: Audience | null): any {
  if (audience === null) return { viewer: { role: null, audience: 'public' } };
  const role = audience.startsWith('staff') ? 'staff' : audience;
  return { viewer: { sub: 'x', role, audience } };
}

function resolverOf(schema: GraphQLSchema, type: string, field: string) {
  return (schema.getType(type) as GraphQLObjectType).getFields()[field].resolve!;
}

function fieldsOf(schema: GraphQLSchema) {
  return Object.values(schema.getTypeMap())
    .filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'))
    .flatMap((t) => Object.entries(t.getFields()).map(([name, f]) => ({ type: t.name, field: name, resolve: f.resolve })));
}

/**
 * A schema of root fields only, without the guard: what answers is shield's rule alone. `tenants`
 * (all staff purposes) and `changeLease` (staff CONTRACT) are in the policy; the `undeclared…`
 * fields are not.
 */
const calls: string[] = [];
const roots = applyEntryPointShield(new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      tenants: { type: GraphQLString, resolve: () => (calls.push('tenants'), 'the tenants') },
      undeclaredQuery: { type: GraphQLString, resolve: () => (calls.push('undeclaredQuery'), 'nobody declared this') },
    },
  }),
  mutation: new GraphQLObjectType({
    name: 'Mutation',
    fields: {
      changeLease: { type: GraphQLString, resolve: () => { throw new BadUserInputError('endDate lies before startDate', 'endDate'); } },
      undeclaredMutation: { type: GraphQLString, resolve: () => (calls.push('undeclaredMutation'), 'changed') },
    },
  }),
}));

beforeEach(() => { calls.length = 0; });

describe('shield alone, on a schema without the guard', () => {
  test('a declared entry point runs for its readers', async () => {
    expect(await resolverOf(roots, 'Query', 'tenants')(undefined, {}, ctxOf('staff:LETTING'), {} as any)).toBe('the tenants');
    expect(calls).toEqual(['tenants']);
  });

  test('refuses a declared entry point to an audience outside its readers: FORBIDDEN, the resolver never runs', async () => {
    for (const audience of ['tenant', 'contractor', 'staff'] as const) {
      const result = await resolverOf(roots, 'Query', 'tenants')(undefined, {}, ctxOf(audience), {} as any);
      expect(result).toBeInstanceOf(Error);
      expect((result as any).extensions.code).toBe('FORBIDDEN');
    }
    expect(calls).toEqual([]);
  });

  test('refuses a caller without a token: UNAUTHENTICATED', async () => {
    const result = await resolverOf(roots, 'Query', 'tenants')(undefined, {}, ctxOf(null), {} as any);
    expect((result as any).extensions.code).toBe('UNAUTHENTICATED');
    expect(calls).toEqual([]);
  });

  test('a Query or Mutation field the policy does not name is denied by the fallback rule, for every audience', async () => {
    for (const audience of ['staff:PRIVACY', 'tenant', 'contractor'] as const) {
      for (const [type, field] of [['Query', 'undeclaredQuery'], ['Mutation', 'undeclaredMutation']]) {
        const result = await resolverOf(roots, type, field)(undefined, {}, ctxOf(audience), {} as any);
        expect(result).toBeInstanceOf(Error);
        expect((result as any).extensions.code).toBe('FORBIDDEN');
      }
    }
    expect(calls).toEqual([]);
  });

  test('through execution: the refused field is null with its error, the rest of the response arrives', async () => {
    const result = await execute({ schema: roots, document: parse('{ tenants undeclaredQuery }'), contextValue: ctxOf('staff:LETTING') });
    expect(result.data).toEqual({ tenants: 'the tenants', undeclaredQuery: null });
    expect(result.errors?.map((e) => [e.path, e.extensions.code])).toEqual([[['undeclaredQuery'], 'FORBIDDEN']]);
  });

  test('a domain error of an allowed entry point passes through unchanged (allowExternalErrors)', async () => {
    const result = await execute({ schema: roots, document: parse('mutation { changeLease }'), contextValue: ctxOf('staff:CONTRACT') });
    expect(result.data).toEqual({ changeLease: null });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].message).toBe('endDate lies before startDate');
    expect(result.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'endDate' });
    expect(result.errors![0].originalError).toBeInstanceOf(BadUserInputError);
  });
});

describe('what shield wraps', () => {
  test('only the root fields: every other field of the schema keeps its resolver', async () => {
    const bare = await buildBareSchema();
    const shielded = applyEntryPointShield(bare);
    const fields = fieldsOf(shielded);
    const others = fields.filter((f) => !isRoot(f.type));
    expect(others.length).toBeGreaterThan(100);
    for (const f of others) expect(f.resolve).toBe((bare.getType(f.type) as GraphQLObjectType).getFields()[f.field]?.resolve);
    const wrapped = fields.filter((f) => isRoot(f.type));
    expect(wrapped.length).toBeGreaterThan(20);
    for (const f of wrapped) expect(f.resolve).not.toBe(resolverOf(bare, f.type, f.field));
  });

  test('in the served schema, every root field is shield\'s and none is the guard\'s', async () => {
    const bare = await buildBareSchema();
    const served = await buildProtectedSchema();
    const rootFields = fieldsOf(served).filter((f) => isRoot(f.type));
    expect(rootFields.map((f) => f.type)).toEqual(expect.arrayContaining(['Query', 'Mutation']));
    for (const f of rootFields) {
      expect((f.resolve as any)?.[GUARDED]).toBeUndefined();
      expect(f.resolve).not.toBe(resolverOf(bare, f.type, f.field));
    }
  });

  test('the served schema refuses a root field through shield: staff may not call myProfile', async () => {
    const served = await buildProtectedSchema();
    const result = await resolverOf(served, 'Query', 'myProfile')(undefined, {}, ctxOf('staff:PRIVACY'), {} as any);
    expect((result as any).extensions.code).toBe('FORBIDDEN');
  });
});
