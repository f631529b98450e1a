import { GraphQLError, locatedError, parse, Source, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { locatedRefusal, refusal } from '../../../src/privacy/rules/rules';

const viewer = { role: 'contractor', audience: 'contractor', purposes: [] };

function fieldNodes(query: string, ...names: string[]): FieldNode[] {
  const op = parse(new Source(query)).definitions[0] as OperationDefinitionNode;
  let nodes: readonly FieldNode[] = op.selectionSet.selections as FieldNode[];
  let found: FieldNode | undefined;
  for (const name of names) {
    found = nodes.find((n) => n.name.value === name)!;
    nodes = (found.selectionSet?.selections ?? []) as FieldNode[];
  }
  return [found!];
}

describe('a refusal located at its field', () => {
  const query = 'query MyWorkOrders {\n  workOrders {\n    edges {\n      node {\n        id\n        description\n      }\n    }\n  }\n}\n';
  const nodes = fieldNodes(query, 'workOrders', 'edges', 'node', 'description');
  const path = ['workOrders', 'edges', 3, 'node', 'description'];
  const shared = refusal({ viewer } as any);

  test('is what graphql-js would make of the refusal: the same error in a response', () => {
    const ours = locatedRefusal(shared, nodes, path);
    const theirs = locatedError(shared, nodes, path);
    expect(ours).toBeInstanceOf(GraphQLError);
    expect(ours.toJSON()).toEqual(theirs.toJSON());
    expect(ours.toJSON()).toEqual({ message: 'Not allowed for this role or purpose', locations: [{ line: 6, column: 9 }], path, extensions: { code: 'FORBIDDEN' } });
    expect(String(ours)).toBe(String(theirs));
    // graphql-js passes a located error on as it is; the error module maps it by its original.
    expect(locatedError(ours, nodes, path)).toBe(ours);
    expect(unwrapResolverError(ours)).toBe(shared);
  });

  test('each refusal has its own path; the field\'s locations are shared and cannot be changed', () => {
    const a = locatedRefusal(shared, nodes, [...path.slice(0, 2), 0, 'node', 'description']);
    const b = locatedRefusal(shared, nodes, [...path.slice(0, 2), 1, 'node', 'description']);
    expect(a.path).not.toEqual(b.path);
    expect(a.locations).toBe(b.locations);
    expect(Object.isFrozen(a.locations)).toBe(true);
    expect(Object.isFrozen(a.locations![0])).toBe(true);
  });
});
