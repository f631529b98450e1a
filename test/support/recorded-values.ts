/**
 * For the walks that prove no personal value leaves unrecorded: a selection of everything a root
 * field reaches (from the schema), the personal values a response carries (by the policy), and the
 * audit events a request stored (by its unique operation name).
 */
import {
  getNamedType, GraphQLField, GraphQLObjectType, GraphQLSchema, isLeafType, isNonNullType, isObjectType, Kind, OperationDefinitionNode,
  parse, print, SelectionSetNode,
} from 'graphql';
import type { DataSource } from 'typeorm';
import { declaredField } from '../../src/privacy/policy/access';

/** Object levels below the root field a full selection descends. */
const DEPTH = 4;

/** A field with a required argument cannot be selected without one: the walk leaves it out. */
const selectable = (f: GraphQLField<unknown, unknown>) => f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined);

/**
 * Selections that together reach every field of a type, `DEPTH` object levels down: one per path
 * of object fields (no type twice on a path), each with every leaf and `__typename` of the objects
 * on its path. One selection of everything would pass no query cost limit.
 */
export function pathSelections(schema: GraphQLSchema, typeName: string, depth = DEPTH, onPath: ReadonlySet<string> = new Set()): string[] {
  const type = schema.getType(typeName) as GraphQLObjectType;
  const fields = Object.values(type.getFields()).filter(selectable);
  const leaves = ['__typename', ...fields.filter((f) => isLeafType(getNamedType(f.type))).map((f) => f.name)].join(' ');
  const below = new Set([...onPath, typeName]);
  const branches = depth === 0 ? [] : fields.flatMap((f) => {
    const named = getNamedType(f.type);
    if (!isObjectType(named) || below.has(named.name)) return [];
    return pathSelections(schema, named.name, depth - 1, below).map((inner) => `${f.name} ${inner}`);
  });
  return branches.length ? branches.map((branch) => `{ ${leaves} ${branch} }`) : [`{ ${leaves} }`];
}

/** Whether a type can carry a personal field, reached through any of its object fields. */
export function reachesPersonal(schema: GraphQLSchema, typeName: string, seen = new Set<string>()): boolean {
  if (seen.has(typeName)) return false;
  seen.add(typeName);
  const type = schema.getType(typeName);
  if (!isObjectType(type)) return false;
  return Object.values(type.getFields()).some((f) => {
    if (declaredField(type.name, f.name)?.personal) return true;
    const named = getNamedType(f.type);
    return isObjectType(named) && reachesPersonal(schema, named.name, seen);
  });
}

/**
 * The operation once per path its root field reaches (`pathSelections`), each named `name_<n>`: a
 * payload that could carry a personal value then does, in one of them.
 */
export function withEveryPath(schema: GraphQLSchema, query: string, name: string): { name: string; query: string }[] {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const root = op.operation === 'mutation' ? schema.getMutationType()! : schema.getQueryType()!;
  const [field] = op.selectionSet.selections;
  if (op.selectionSet.selections.length !== 1 || field.kind !== Kind.FIELD) throw new Error('one root field per walked operation');
  const named = getNamedType(root.getFields()[field.name.value].type);
  const selections = isObjectType(named) ? pathSelections(schema, named.name) : [undefined];
  return selections.map((selection, n) => {
    const selectionSet = selection === undefined ? field.selectionSet
      : (parse(`{ x ${selection} }`).definitions[0] as OperationDefinitionNode).selectionSet.selections.map((s) => (s as { selectionSet: SelectionSetNode }).selectionSet)[0];
    const renamed = { ...op, name: { kind: Kind.NAME, value: `${name}_${n}` }, selectionSet: { ...op.selectionSet, selections: [{ ...field, selectionSet }] } } as OperationDefinitionNode;
    return { name: `${name}_${n}`, query: print({ ...doc, definitions: [renamed] }) };
  });
}

export interface PersonalValues {
  /** `Type.field` of every personal field with a value in the response. */
  paths: Set<string>;
  /** The ids of the Tenant objects in the response that carry a personal value. */
  tenants: Set<string>;
}

/**
 * Fields of types without a table that hand back a copy of a personal value, with the field it is
 * a copy of: the payment answers with the invoice's amount.
 */
const COPIES: Record<string, string> = { 'IdealPayment.amount': 'Invoice.amount' };

/** The personal values a response carries, read by the policy from its `__typename`d objects. */
export function personalValuesIn(value: unknown, found: PersonalValues = { paths: new Set(), tenants: new Set() }): PersonalValues {
  if (Array.isArray(value)) {
    for (const v of value) personalValuesIn(v, found);
    return found;
  }
  if (!value || typeof value !== 'object') return found;
  const object = value as Record<string, unknown>;
  const type = typeof object.__typename === 'string' ? object.__typename : undefined;
  let carries = false;
  for (const [key, v] of Object.entries(object)) {
    if (type && v !== null && v !== undefined) {
      const path = COPIES[`${type}.${key}`] ?? (declaredField(type, key)?.personal ? `${type}.${key}` : undefined);
      if (path) {
        found.paths.add(path);
        carries = true;
      }
    }
    personalValuesIn(v, found);
  }
  if (type === 'Tenant' && carries && typeof object.id === 'string') found.tenants.add(object.id);
  return found;
}

/** The fields and tenants of the audit events stored for one operation name. */
export async function recordedFor(dataSource: DataSource, operation: string): Promise<PersonalValues> {
  const rows: { fields: string[]; tenant_ids: string[] }[] = await dataSource.query(
    `SELECT fields, tenant_ids FROM audit_event WHERE operation = $1`, [operation],
  );
  return { paths: new Set(rows.flatMap((r) => r.fields)), tenants: new Set(rows.flatMap((r) => r.tenant_ids)) };
}

/** What a response carries that its audit events do not name: must be empty. */
export function unrecorded(carried: PersonalValues, recorded: PersonalValues): string[] {
  return [
    ...[...carried.paths].filter((p) => !recorded.paths.has(p)).map((p) => `field ${p}`),
    ...[...carried.tenants].filter((id) => !recorded.tenants.has(id)).map((id) => `tenant ${id}`),
  ];
}
