/**
 * A refused field answers a tick later, never synchronously. graphql-js 16 drops the pending
 * promises of a list's other items when one item fails synchronously where null is not allowed
 * (graphql/graphql-js#3528); a dropped item's own refusal then rejects unhandled, which ends a Node
 * process by default (and fails this test under jest). Seen in the leak property as a random query.
 */
import { execute, GraphQLID, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, parse } from 'graphql';
import { guardField } from '../../../src/privacy/rules/rules';

/** `Invoice.id` behind its rule: a parent the scoped reader did not stamp is refused. */
const guardedId = guardField('Invoice', 'id', () => 'never');
if (guardedId === 'inherit') throw new Error('Invoice.id has a rule of its own');

const Item = new GraphQLObjectType({
  name: 'Item',
  fields: { id: { type: new GraphQLNonNull(GraphQLID), resolve: guardedId as any } },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    // The first item arrives later, the second at once: both refused where null is not allowed.
    fields: { items: { type: new GraphQLList(new GraphQLNonNull(Item)), resolve: () => [new Promise((r) => setTimeout(() => r({}), 5)), {}] } },
  }),
});

test('refusals of non-null fields in a list of items arriving at different times: one answer, nothing left unhandled', async () => {
  const contextValue = { viewer: { role: 'tenant', audience: 'tenant', tenantId: null, purposes: [] } };
  const result = await execute({ schema, document: parse('{ items { id } }'), contextValue });
  expect(result.data).toEqual({ items: null });
  expect(result.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
  // The first item's refusal comes after the answer: the test fails if it goes unhandled.
  await new Promise((resolve) => setTimeout(resolve, 30));
});
