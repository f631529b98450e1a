/**
 * Random GraphQL queries generated from the schema, for property tests: any root field of Query with
 * arguments drawn from their types (real seeded ids of the right type, ids of other types, random
 * uuids and junk; page sizes out of range; enum lists; search terms), a random selection set down
 * the schema's object types with aliases (also ones that rename a field to another field's name),
 * repeated fields under other aliases, inline fragments with and without type condition, named
 * fragments (nested too), `__typename`, @include/@skip, inline literals or variables.
 * Queries are valid against the schema but for a few deliberately broken ones.
 */
import fc from 'fast-check';
import {
  getNamedType, GraphQLArgument, GraphQLField, GraphQLInputType, GraphQLNamedType, GraphQLObjectType, GraphQLSchema,
  isEnumType, isLeafType, isListType, isNonNullType, isObjectType, isScalarType,
} from 'graphql';
import { encodeCursor } from '../../src/privacy/read/connection';

export interface QueryGeneratorOptions {
  schema: GraphQLSchema;
  /** Real ids per GraphQL object type (`Tenant`, `WorkOrder`, …). */
  ids: Record<string, string[]>;
  /** Terms for `search` arguments: markers, parts of them, junk. */
  searchTerms: string[];
  /** Object levels below the root (a connection's edges and node count as levels). */
  maxDepth?: number;
}

export interface RootCall {
  field: string;
  args: Record<string, unknown>;
}

export interface GeneratedQuery {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
  /** The root fields called, with their argument values (variables resolved). */
  roots: RootCall[];
  /** Set when the query was broken on purpose: the server must answer 4xx, not 5xx. */
  broken?: 'parse' | 'unknown-field' | 'variable-type';
}

const JUNK_IDS = [
  '', '1', '-1', '0', 'null', 'undefined', "' OR '1'='1", "1; DROP TABLE tenant; --", '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', '{}', '%', '_', 'x'.repeat(300), 'é',
];
const b64 = (s: string) => Buffer.from(s).toString('base64url');
const JUNK_CURSORS = [
  '', 'v1:', b64('v1:'), b64('v2:00000000-0000-4000-8000-000000000000'), b64("v1:' OR 1=1 --"), b64('v1:123'),
  b64(`v1:${'x'.repeat(80)}`), 'not a cursor', '%%%', b64('v1:00000000-0000-4000-8000-000000000000'), b64('v1:-1'),
];
const EDGE_INTS = [0, 1, 100, 101, 2147483647, -2147483648, -1];

/**
 * The arbitrary of generated queries. `preferredRoots`: root fields to pick most of the time (those
 * the caller may call, so that most queries reach data); any root field otherwise.
 */
export function queryArbitrary(options: QueryGeneratorOptions, preferredRoots: readonly string[] = []): fc.Arbitrary<GeneratedQuery> {
  return fc.gen().map((g) => buildQuery(g, options, preferredRoots));
}

/** One query, from the choices `g` makes (for callers that draw other values from the same generator). */
export function buildQuery(g: fc.GeneratorValue, options: QueryGeneratorOptions, preferredRoots: readonly string[] = []): GeneratedQuery {
  return new QueryBuilder(g, options, preferredRoots).build();
}

class QueryBuilder {
  private counter = 0;
  private readonly fragments: string[] = [];
  private readonly varDefs: string[] = [];
  private readonly variables: Record<string, unknown> = {};
  private readonly roots: RootCall[] = [];
  private readonly maxDepth: number;
  private readonly allIds: string[];

  constructor(
    private readonly g: fc.GeneratorValue,
    private readonly o: QueryGeneratorOptions,
    private readonly preferredRoots: readonly string[],
  ) {
    this.maxDepth = o.maxDepth ?? 5;
    this.allIds = Object.values(o.ids).flat();
  }

  // --- random choices (each shrinks towards the plainest answer) ---
  /** An integer with fast-check's bias towards the bounds and 0: for argument values. */
  private int(min: number, max: number): number {
    return this.g(fc.integer, { min, max });
  }
  /** An integer drawn evenly: for the query's shape, so that probabilities mean what they say. */
  private uniform(min: number, max: number): number {
    return this.g(uniformInteger, min, max);
  }
  /** True with probability p; shrinks to false. */
  private chance(p: number): boolean {
    return this.uniform(0, 999) >= 1000 - p * 1000;
  }
  private pick<T>(values: readonly T[]): T {
    return values[this.uniform(0, values.length - 1)];
  }

  build(): GeneratedQuery {
    const queryType = this.o.schema.getQueryType()!;
    const selection = this.selectionSet(queryType, 0);
    const operationName = this.chance(0.3) ? `Leak${this.uniform(0, 999)}` : undefined;
    const defs = this.varDefs.length ? `(${this.varDefs.join(', ')})` : '';
    const head = operationName || defs || this.chance(0.3) ? `query${operationName ? ` ${operationName}` : ''}${defs} ` : '';
    let query = [`${head}${selection}`, ...this.fragments].join('\n');
    const variables = this.variables;
    let broken: GeneratedQuery['broken'];
    if (this.chance(0.03)) {
      broken = this.pick(['parse', 'unknown-field', 'variable-type'] as const);
      if (broken === 'parse') query = query.slice(0, -1);
      else if (broken === 'unknown-field') query = query.replace('{', '{ notAField ');
      else if (Object.keys(variables).length) variables[Object.keys(variables)[0]] = { not: ['a', 'scalar'] };
      else query = `query($x: Int) ${selection.replace('{', '{ __typename @include(if: $x) ')}\n${this.fragments.join('\n')}`;
    }
    return { query, variables, ...(operationName ? { operationName } : {}), roots: this.roots, ...(broken ? { broken } : {}) };
  }

  /** `{ … }` for an object type: fields, aliases, fragments. */
  private selectionSet(type: GraphQLObjectType, depth: number): string {
    const fields = Object.values(type.getFields());
    const root = depth === 0;
    const max = root ? this.pick([1, 1, 1, 1, 1, 1, 2, 2, 3]) : Math.min(fields.length, depth < 3 ? 5 : 3);
    const count = root ? max : this.uniform(1, max);
    const n = Math.min(count, fields.length);
    const preferred = root ? fields.map((f) => f.name).filter((name) => this.preferredRoots.includes(name)) : [];
    const pool = preferred.length >= n && this.chance(0.8) ? preferred : fields.map((f) => f.name);
    const names: string[] = this.g(fc.shuffledSubarray, pool, { minLength: n, maxLength: n });
    const used = new Set<string>();
    const items: string[] = [];
    for (const name of names) items.push(this.field(type, type.getFields()[name], depth, used));
    if (!root && this.chance(0.15)) {
      // The same field again under another name.
      items.push(this.field(type, type.getFields()[this.pick(names)], depth, used, true));
    }
    if (this.chance(0.2)) {
      const aliased = this.chance(0.3) || used.has('__typename');
      const name = aliased ? this.alias(used) : '__typename';
      used.add(name);
      items.push(aliased ? `${name}: __typename` : '__typename');
    }
    // Fragments inside fragments only near the root: the server counts fragment levels towards its depth limit.
    return `{ ${this.group(type, items, depth < 2 ? 0 : 1)} }`;
  }

  /** The selections of one set, some of them moved into inline or named fragments on the same type. */
  private group(type: GraphQLObjectType, items: string[], nesting: number): string {
    if (nesting > 1 || items.length === 0) return items.join(' ');
    const buckets: string[][] = [[], [], [], []];
    for (const item of items) buckets[this.pick([0, 0, 0, 0, 0, 0, 1, 2, 3])].push(item);
    const out = [...buckets[0]];
    if (buckets[1].length) out.push(`... on ${type.name} { ${this.group(type, buckets[1], nesting + 1)} }`);
    if (buckets[2].length) out.push(`... ${this.directive()}{ ${this.group(type, buckets[2], nesting + 1)} }`);
    if (buckets[3].length) {
      const name = `F${this.fragments.length}_${this.counter++}`;
      this.fragments.push(''); // reserve the slot: inner fragments come after
      const slot = this.fragments.length - 1;
      this.fragments[slot] = `fragment ${name} on ${type.name} { ${this.group(type, buckets[3], nesting + 1)} }`;
      out.push(`...${name}`);
    }
    return out.join(' ');
  }

  private directive(): string {
    if (!this.chance(0.05)) return '';
    const which = this.pick(['include', 'skip']);
    if (this.chance(0.5)) return `@${which}(if: ${this.pick(['true', 'false'])}) `;
    const v = this.variable('Boolean!', this.chance(0.5));
    return `@${which}(if: ${v}) `;
  }

  private alias(used: Set<string>): string {
    let name: string;
    do name = `a${this.counter++}`; while (used.has(name));
    used.add(name);
    return name;
  }

  private field(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>, depth: number, used: Set<string>, forceAlias = false): string {
    const kind = forceAlias ? this.pick(['random', 'other']) : this.pick(['none', 'none', 'none', 'none', 'none', 'random', 'other']);
    let responseName: string;
    if (kind === 'random') {
      responseName = this.alias(used);
    } else {
      // `other`: rename the field to another field's name of the same type, as in `email: firstName`.
      const free = kind === 'other' ? Object.keys(type.getFields()).filter((n) => n !== field.name && !used.has(n)) : [];
      const wanted = free.length ? this.pick(free) : field.name;
      responseName = used.has(wanted) ? this.alias(used) : wanted;
      used.add(responseName);
    }
    const aliasPart = responseName === field.name ? '' : `${responseName}: `;
    const args = this.args(type, field);
    const named = getNamedType(field.type);
    let sub = '';
    if (isObjectType(named)) sub = ` ${depth + 1 >= this.maxDepth || this.chance(0.1) ? this.leaves(named) : this.selectionSet(named, depth + 1)}`;
    const directive = this.directive();
    return `${aliasPart}${field.name}${args}${directive ? ` ${directive.trim()}` : ''}${sub}`;
  }

  /** A selection of scalar fields only (the depth limit is reached). */
  private leaves(type: GraphQLObjectType): string {
    const leaves = Object.values(type.getFields()).filter((f) => isLeafType(getNamedType(f.type)));
    if (!leaves.length) return '{ __typename }';
    const names: string[] = this.g(fc.subarray, leaves.map((f) => f.name), { minLength: 1 });
    return `{ ${names.join(' ')} }`;
  }

  private args(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>): string {
    const isRoot = parent === this.o.schema.getQueryType();
    const values: Record<string, unknown> = {};
    const parts: string[] = [];
    for (const arg of field.args) {
      if (!isNonNullType(arg.type) && this.chance(0.4)) continue;
      const value = this.argValue(field, arg);
      values[arg.name] = value;
      if (this.chance(0.4)) parts.push(`${arg.name}: ${this.variable(String(arg.type), value)}`);
      else parts.push(`${arg.name}: ${literal(value, arg.type)}`);
    }
    if (isRoot) this.roots.push({ field: field.name, args: values });
    return parts.length ? `(${parts.join(', ')})` : '';
  }

  private variable(type: string, value: unknown): string {
    const name = `v${this.counter++}`;
    this.varDefs.push(`$${name}: ${type}`);
    this.variables[name] = value;
    return `$${name}`;
  }

  /** A value for an argument, by its name and type. */
  private argValue(field: GraphQLField<unknown, unknown>, arg: GraphQLArgument): unknown {
    if (!isNonNullType(arg.type) && this.chance(0.08)) return null;
    const inner = isNonNullType(arg.type) ? arg.type.ofType : arg.type;
    if (isListType(inner)) {
      const item = getNamedType(inner);
      if (isEnumType(item)) return this.g(fc.subarray, item.getValues().map((v) => v.name));
      return [this.scalarValue(field, arg, item)];
    }
    return this.scalarValue(field, arg, getNamedType(inner));
  }

  private scalarValue(field: GraphQLField<unknown, unknown>, arg: GraphQLArgument, type: GraphQLNamedType): unknown {
    if (isEnumType(type)) return this.pick(type.getValues().map((v) => v.name));
    if (!isScalarType(type)) throw new Error(`no generator for input type ${type.name}`);
    switch (type.name) {
      case 'ID': return this.id(field, arg);
      case 'Int': {
        // Mostly a page size that is allowed, else anything in -1..150 (biased to the bounds) or an edge value.
        const r = this.uniform(0, 9);
        return r < 6 ? this.uniform(1, 100) : r < 9 ? this.int(-1, 150) : this.pick(EDGE_INTS);
      }
      case 'Boolean': return this.chance(0.5);
      case 'String':
        if (arg.name === 'after') return this.cursor(field);
        if (arg.name === 'search') return this.pick(this.o.searchTerms);
        return this.pick(['', 'x', ...this.o.searchTerms.slice(0, 20)]);
      default: return this.pick(['', '0', 'x']);
    }
  }

  /** An id: of the type the field returns (or names), of another type, a random uuid, or junk. */
  private id(field: GraphQLField<unknown, unknown>, arg: GraphQLArgument): string {
    const target = arg.name === 'id' ? getNamedType(field.type).name : arg.name.replace(/Id$/, '').replace(/^./, (c) => c.toUpperCase());
    const own = this.o.ids[target] ?? [];
    const r = this.uniform(0, 9);
    if (r < 7 && own.length) return this.pick(own);
    if (r < 8 && this.allIds.length) return this.pick(this.allIds);
    if (r < 9) return this.g(fc.uuid, { version: 4 });
    return this.pick(JUNK_IDS);
  }

  /** A cursor: of a row of the connection's type, of another type, or junk. */
  private cursor(field: GraphQLField<unknown, unknown>): string {
    const node = getNamedType(field.type).name.replace(/Connection$/, '');
    const own = this.o.ids[node] ?? [];
    const r = this.uniform(0, 9);
    if (r < 6 && own.length) return encodeCursor(this.pick(own));
    if (r < 7 && this.allIds.length) return encodeCursor(this.pick(this.allIds));
    return this.pick(JUNK_CURSORS);
  }
}

function uniformInteger(min: number, max: number): fc.Arbitrary<number> {
  return fc.noBias(fc.integer({ min, max }));
}

/** A value as a GraphQL literal of the given input type. */
export function literal(value: unknown, type: GraphQLInputType): string {
  if (value === null || value === undefined) return 'null';
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const items = Array.isArray(value) ? value : [value];
    return `[${items.map((v) => literal(v, inner.ofType)).join(', ')}]`;
  }
  if (isEnumType(inner)) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
