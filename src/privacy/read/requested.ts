import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { createParameterDecorator } from 'type-graphql';

/** The fields a query asks of a row, as the scoped reader receives them. */
export type Requested = ReadonlySet<string>;

/** Per field of a parsed query (its nodes are the same for every row and every request). */
const cache = new WeakMap<readonly FieldNode[], Map<string, Requested>>();

/**
 * The field names the query selects on the objects this field returns, or, with `path`, on the
 * objects found under it (`['edges', 'node']` for the rows of a connection). Fragments are
 * followed; `@skip`/`@include` are ignored, so the answer may hold more than is sent, never less.
 * The reader selects the columns of these fields that the caller may read.
 */
export function requestedFields(info: GraphQLResolveInfo, path: readonly string[] = []): Requested {
  const key = path.join('.');
  let byPath = cache.get(info.fieldNodes);
  if (!byPath) cache.set(info.fieldNodes, (byPath = new Map()));
  let requested = byPath.get(key);
  if (!requested) {
    let nodes: readonly FieldNode[] = info.fieldNodes;
    for (const step of path) nodes = childFields(nodes, info.fragments).filter((node) => node.name.value === step);
    requested = new Set(childFields(nodes, info.fragments).map((node) => node.name.value));
    byPath.set(key, requested);
  }
  return requested;
}

/**
 * A resolver parameter: `requestedFields` of the field being resolved, for the scoped reader
 * (`@RequestedFields('edges', 'node')` on a connection: the fields of its rows).
 */
export function RequestedFields(...path: string[]) {
  return createParameterDecorator(({ info }) => requestedFields(info, path));
}

/** What a query asks of a connection: its rows' fields, and whether it reads the count. */
export interface PageRequest {
  node: Requested;
  counted: boolean;
}

/** A resolver parameter for a connection field: `PageRequest`. */
export function PageFields() {
  return createParameterDecorator(({ info }): PageRequest => {
    const own = requestedFields(info);
    return { node: requestedFields(info, ['edges', 'node']), counted: own.has('totalCount') || own.has('totalCountExact') };
  });
}

function childFields(nodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  const found: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === 'Field') found.push(selection);
      else if (selection.kind === 'InlineFragment') visit(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        visit(fragments[selection.name.value]?.selectionSet, seen);
      }
    }
  };
  for (const node of nodes) visit(node.selectionSet, new Set());
  return found;
}
