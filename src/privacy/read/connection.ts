import { ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { PageRequest } from './requested';
import { BadUserInputError } from '../../platform/errors';
import type { ListSpec, Row, ScopedReader } from './scoped-reader';
import { isUuid } from '../../platform/values/ids';

export const MAX_PAGE_SIZE = 100;
/** `totalCount` is exact up to this many rows; past it, it is this and `totalCountExact` false. */
export const COUNT_BOUND = 1_000;
export const DEFAULT_PAGE_SIZE = 20;

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field() hasPreviousPage: boolean;
  @Field(() => String, { nullable: true }) startCursor: string | null;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

export interface ConnectionShape<T> {
  /** Counted only when a client selects `totalCount` or `totalCountExact`: up to COUNT_BOUND + 1. */
  countRows: () => Promise<number>;
  pageInfo: PageInfo;
  edges: { cursor: string; node: T }[];
}

/**
 * One count statement for both count fields. type-graphql calls the fields' methods on the plain
 * object `paginate` returns, so the memo is kept beside it, not in a class field.
 */
const counts = new WeakMap<object, Promise<number>>();
function boundedCount(connection: { countRows: () => Promise<number> }): Promise<number> {
  let n = counts.get(connection);
  if (!n) counts.set(connection, (n = connection.countRows()));
  return n;
}

/** A Relay connection type `<Name>Connection` with `<Name>Edge`. */
export function connectionOf<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field() cursor: string;
    @Field(() => node, { nullable: true }) node: T;
  }
  @ObjectType(`${name}Connection`)
  class Connection {
    countRows: () => Promise<number>;

    @Field(() => Int, {
      description: `Rows in the caller's scope that match the filters and search, counted exactly up to ${COUNT_BOUND.toLocaleString('en')}. `
        + `Past that it is ${COUNT_BOUND.toLocaleString('en')} and \`totalCountExact\` is false: show it as "${COUNT_BOUND.toLocaleString('en')}+".`,
    })
    async totalCount(): Promise<number> {
      return Math.min(await boundedCount(this), COUNT_BOUND);
    }

    @Field(() => Boolean, { description: `False when there are more than ${COUNT_BOUND.toLocaleString('en')} rows and \`totalCount\` says ${COUNT_BOUND.toLocaleString('en')}.` })
    async totalCountExact(): Promise<boolean> {
      return (await boundedCount(this)) <= COUNT_BOUND;
    }

    @Field(() => PageInfo) pageInfo: PageInfo;
    @Field(() => [Edge]) edges: Edge[];
  }
  return Connection;
}

/** Cursors are opaque and carry only the row id: no personal value rides in a cursor. */
export function encodeCursor(id: string): string {
  return Buffer.from(`v1:${id}`).toString('base64url');
}

/** The id a cursor carries; the reader checks it against the list's key type. */
export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  if (!decoded.startsWith('v1:') || decoded.length > 64) throw new BadUserInputError('after is not a valid cursor', 'after');
  return decoded.slice(3);
}

export function pageSize(first: number | null | undefined, max = MAX_PAGE_SIZE): number {
  if (first === null || first === undefined) return Math.min(DEFAULT_PAGE_SIZE, max);
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw new BadUserInputError(`first must be between 1 and ${max}`, 'first');
  }
  return first;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** One page of in-scope rows; `totalCount` is counted only when the client asks for it. */
export async function paginate(
  reader: ScopedReader,
  type: string,
  args: PageArgs,
  spec: Omit<ListSpec, 'limit' | 'afterId' | 'fields'>,
  /** What the query asks of the connection: `@PageFields()`; without, every readable field and no count. */
  request?: PageRequest,
): Promise<ConnectionShape<Row>> {
  const size = pageSize(args.first);
  const afterId = args.after ? decodeCursor(args.after) : undefined;
  // A count the query reads comes with the page, in its statement.
  const { rows, count } = await reader.page(type, { ...spec, limit: size + 1, afterId, fields: request?.node }, request?.counted ? COUNT_BOUND : undefined);
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(String(node.id)), node }));
  return {
    countRows: () => (count !== undefined ? Promise.resolve(count) : reader.count(type, spec, COUNT_BOUND)),
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: afterId !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    edges,
  };
}

export function assertUuid(id: string, field = 'id'): string {
  if (!isUuid(id)) throw new BadUserInputError(`${field} is not a valid id`, field);
  return id;
}
