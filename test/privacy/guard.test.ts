/**
 * The guard applies the rules without graphql-shield's per-field promises. These tests prove the
 * rules still run wherever the policy closes a field below the entry points: every such field of the
 * served schema has a guarded resolver, and fields nobody declared are closed. The entry points
 * (`Query`, `Mutation`) are shield's (entry-points.test.ts), and the guard leaves them alone.
 */
import { GraphQLObjectType, GraphQLSchema, isObjectType } from 'graphql';
import { ALL_AUDIENCES } from '../../src/platform/auth/audiences';
import { canRead, typeRule } from '../../src/privacy/policy/access';
import { applyGuard, GUARDED } from '../../src/privacy/rules/guard';
import { ROOT_TYPES } from '../../src/privacy/rules/entry-points';
import { STRUCTURAL } from '../../src/privacy/policy/policy-types';
import { buildBareSchema, buildProtectedSchema } from '../../src/app/schema';
import { buildSchema } from 'type-graphql';
import { Field, ObjectType, Query, Resolver } from 'type-graphql';

function fieldsOf(schema: GraphQLSchema) {
  return Object.values(schema.getTypeMap())
    .filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'))
    .flatMap((t) => Object.entries(t.getFields()).map(([name, f]) => ({ type: t.name, field: name, resolve: f.resolve })));
}

const isRoot = (type: string) => (ROOT_TYPES as readonly string[]).includes(type);

test('every field below the entry points the policy closes for some audience is guarded', async () => {
  const served = await buildProtectedSchema();
  const closable = fieldsOf(served).filter(({ type, field }) =>
    !isRoot(type) && typeRule(type) !== STRUCTURAL && ALL_AUDIENCES.some((a) => !canRead(a, type, field)));
  expect(closable.length).toBeGreaterThan(90);
  const unguarded = closable.filter((f) => (f.resolve as any)?.[GUARDED] !== `${f.type}.${f.field}`);
  expect(unguarded.map((f) => `${f.type}.${f.field}`)).toEqual([]);
});

test('only structural types and the entry points go unguarded', async () => {
  const unguarded = fieldsOf(await buildProtectedSchema()).filter((f) => !(f.resolve as any)?.[GUARDED]);
  for (const f of unguarded.filter((f) => !isRoot(f.type))) expect(typeRule(f.type)).toBe(STRUCTURAL);
  expect(unguarded.filter((f) => isRoot(f.type)).length).toBeGreaterThan(20);
});

test('the guard leaves the entry points to shield: their resolvers are the bare ones', async () => {
  const bare = await buildBareSchema();
  const guarded = applyGuard(bare);
  const roots = fieldsOf(guarded).filter((f) => isRoot(f.type));
  expect(roots.length).toBeGreaterThan(20);
  for (const f of roots) expect(f.resolve).toBe((bare.getType(f.type) as GraphQLObjectType).getFields()[f.field].resolve);
});

test('the schema the guard wraps is left as it was', async () => {
  const bare = await buildBareSchema();
  await buildProtectedSchema();
  expect(fieldsOf(bare).some((f) => (f.resolve as any)?.[GUARDED])).toBe(false);
});

@ObjectType('Undeclared')
class Undeclared {
  @Field() secret: string;
}

@Resolver()
class UndeclaredResolver {
  @Query(() => Undeclared)
  undeclared() {
    return { secret: 'value nobody declared' };
  }
}

test('a field no policy names is closed, even with a resolver that returns a value', async () => {
  const schema = applyGuard(await buildSchema({ resolvers: [UndeclaredResolver] }));
  const resolve = (schema.getType('Undeclared') as GraphQLObjectType).getFields().secret.resolve!;
  const info = { fieldNodes: [], path: { prev: undefined, key: 'secret', typename: 'Undeclared' } };
  const result = resolve({ secret: 'value nobody declared' }, {}, { viewer: { role: 'staff', audience: 'staff:PRIVACY' } } as any, info as any);
  // Refused a tick later (see rules.ts, refusedField), never with the value.
  await expect(result).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' }, path: ['secret'] });
});
