/**
 * Unique markers planted in a scratch database, for leak tests: every stored personal column of every
 * table-backed policy type (and every free-text column of a policy field) gets a value that exists
 * nowhere else, and a map says whose value it is. A response can then be scanned for markers and
 * each one found checked against the policy: may this caller read that field of that row?
 *
 * What carries a marker (derived from the policy and the catalog, not listed by hand):
 * - text columns: `MK_<Type>_<field>_<n>_`, on every row (nulls filled too). A text column whose
 *   CHECK refuses the marker (an enum such as `income_category`, `status`, `invoice.period`) is left
 *   as it is and reported in `uncovered`.
 * - date columns (personal only): distinctive days in a year no real value has (`1901-…`, `1904-…`),
 *   on the rows where the value is not null (a null end date means a running lease: kept).
 * - timestamp columns (personal only): distinctive instants in 1971 with a fixed millisecond part.
 * - numeric columns (personal only): distinctive amounts `k000000 + n + .37` (CHECKs allow them).
 * - the dwelling columns behind the computed `Tenant.address` and `Dwelling.address`: text markers for
 *   street, house number and city, and distinctive postal codes `1nnn QX` (the column's CHECK needs
 *   the Dutch form).
 * - integers and booleans (household size 1..20, consent) cannot be distinctive: not covered.
 * The subs of the tokens the test signs are markers of `AuditEvent.actorSub` (see `actorSubs`).
 */
import type { GraphQLSchema } from 'graphql';
import { getNamedType, isObjectType } from 'graphql';
import { DataSource } from 'typeorm';
import { catalogOf } from '../../src/privacy/read/catalog';
import { compiled } from '../../src/privacy/policy/compiled';

/** A policy field a marker is the value of: `[type, field]`. */
export type FieldRef = readonly [type: string, field: string];

export interface Marker {
  value: string;
  /** The fields whose value this is; any one of them readable lets the marker through. */
  fields: readonly FieldRef[];
  /** The table row it is stored in (`undefined`: not tied to a row, e.g. a token's sub). */
  table?: string;
  rowId?: string;
}

export interface Coverage {
  type: string;
  field: string;
  column: string;
  kind: 'text' | 'date' | 'timestamp' | 'numeric' | 'address';
  rows: number;
}

export interface MarkerIndex {
  byValue: Map<string, Marker>;
  covered: Coverage[];
  /** `Type.field (column): why` for personal (and free-text) columns that carry no marker. */
  uncovered: string[];
  /** Subs for the tokens of generated callers: markers of AuditEvent.actorSub (PRIVACY only). */
  actorSubs: string[];
  /** Text markers by field, for search arguments. */
  textMarkers: Marker[];
}

/**
 * The columns behind each computed personal field: the dwelling's address columns, which
 * COMPUTED_COLUMNS turns into `Tenant.address` (the dwelling let) and `Dwelling.address`.
 * A new computed personal field must be added here, or `plantMarkers` refuses to run.
 */
const COMPUTED_SOURCES: Record<string, { table: string; columns: Record<string, string> }> = {
  'Tenant.address': { table: 'dwelling', columns: { street: 'street', house_number: 'houseNumber', postal_code: 'postalCode', city: 'city' } },
  'Dwelling.address': { table: 'dwelling', columns: { street: 'street', house_number: 'houseNumber', postal_code: 'postalCode', city: 'city' } },
};

/** Computed personal fields that are booleans (a consent in force): like a boolean column, no marker fits. */
const DERIVED_BOOLEANS = new Set(['Tenant.analyticsConsent']);

/** Tables whose rows the API writes while the test runs (the audit trail is hash-chained): never touched. */
const UNTOUCHED_TABLES = new Set(['audit_event']);

const MARKER_PATTERNS: RegExp[] = [
  /MK_[A-Za-z]+_[A-Za-z]+_\d+_/g,
  /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g,
  /\d{4}-\d{2}-\d{2}/g,
  /\d+\.\d+/g,
  /\d{4} ?[A-Z]{2}/g,
];

/** Every marker of the index that occurs in `text`. */
export function markersIn(text: string, index: MarkerIndex): Marker[] {
  const found = new Map<string, Marker>();
  for (const pattern of MARKER_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const marker = index.byValue.get(m[0]);
      if (marker) found.set(marker.value, marker);
    }
  }
  return [...found.values()];
}

/** The GraphQL output type of `type.field` is String (a free text, not an enum or a number). */
function isStringField(schema: GraphQLSchema, type: string, field: string): boolean {
  const t = schema.getType(type);
  if (!t || !isObjectType(t)) return false;
  const f = t.getFields()[field];
  return !!f && getNamedType(f.type).name === 'String';
}

export async function plantMarkers(ds: DataSource, schema: GraphQLSchema): Promise<MarkerIndex> {
  const catalog = catalogOf(ds);
  const index: MarkerIndex = { byValue: new Map(), covered: [], uncovered: [], actorSubs: [], textMarkers: [] };
  const add = (m: Marker) => {
    const existing = index.byValue.get(m.value);
    if (existing) {
      // The same stored value reached through another field (the dwelling behind two computed addresses).
      if (existing.table !== m.table || existing.rowId !== m.rowId) throw new Error(`marker ${m.value} is not unique`);
      index.byValue.set(m.value, { ...existing, fields: [...existing.fields, ...m.fields] });
      return;
    }
    index.byValue.set(m.value, m);
  };
  const columnTypes = new Map<string, string>(
    (await ds.query(`SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()`))
      .map((r: any) => [`${r.table_name}.${r.column_name}`, r.data_type as string]),
  );

  let dateSlot = 0;
  let timeSlot = 0;
  let amountSlot = 0;
  const planted = new Set<string>();

  for (const rule of compiled.tables) {
    const type = rule.name;
    if (UNTOUCHED_TABLES.has(rule.table)) continue;
    const sources = catalog.get(type)!;
    for (const { name: field, personal } of rule.fields) {
      const f = { personal };
      const source = sources.get(field);
      if (!source) continue;
      if (source.kind !== 'column') {
        if (!f.personal) continue;
        if (DERIVED_BOOLEANS.has(`${type}.${field}`)) {
          index.uncovered.push(`${type}.${field}: a boolean derived from other rows, cannot hold a distinctive value`);
          continue;
        }
        const computed = COMPUTED_SOURCES[`${type}.${field}`];
        if (!computed) throw new Error(`personal field ${type}.${field} is ${source.kind}: tell test/support/markers.ts which columns hold it`);
        for (const [column, part] of Object.entries(computed.columns)) {
          const key = `${computed.table}.${column}`;
          if (!planted.has(key)) {
            planted.add(key);
            const rows = await plantAddressColumn(ds, computed.table, column, part);
            index.covered.push({ type, field, column: key, kind: 'address', rows: rows.length });
            for (const r of rows) add({ value: String(r.value), fields: [[type, field]], table: computed.table, rowId: r.id });
          } else {
            // Same column, second computed field: extend the markers' fields.
            const rows: { id: string; value: string }[] = await ds.query(`SELECT id::text AS id, ${column}::text AS value FROM ${computed.table}`);
            for (const r of rows) add({ value: r.value, fields: [[type, field]], table: computed.table, rowId: r.id });
            index.covered.push({ type, field, column: key, kind: 'address', rows: rows.length });
          }
        }
        continue;
      }
      const column = source.column;
      const dataType = columnTypes.get(`${rule.table}.${column}`);
      const where = `${type}.${field} (${rule.table}.${column})`;
      const text = dataType === 'text' && isStringField(schema, type, field);
      if (!f.personal && !text) continue;
      let rows: { id: string; value: unknown }[] | undefined;
      let kind: Coverage['kind'] | undefined;
      if (text) {
        rows = await tryUpdate(ds, rule.table, column, `'MK_${type}_${field}_' || x.n || '_'`, false);
        kind = 'text';
        if (!rows) index.uncovered.push(`${where}${f.personal ? '' : ' (not personal)'}: its CHECK refuses a text marker`);
      } else if (dataType === 'date') {
        const year = 1901 + 3 * dateSlot++;
        rows = await tryUpdate(ds, rule.table, column, `DATE '${year}-01-01' + x.n::int`, true);
        kind = 'date';
      } else if (dataType === 'timestamp with time zone') {
        const slot = timeSlot++;
        rows = await tryUpdate(ds, rule.table, column,
          `TIMESTAMPTZ '1971-01-01T00:00:00.417Z' + make_interval(days => ${40 * slot}, mins => x.n::int)`, true);
        kind = 'timestamp';
      } else if (dataType === 'numeric') {
        const base = 1_000_000 * ++amountSlot;
        rows = await tryUpdate(ds, rule.table, column, `${base} + x.n + 0.37`, true);
        kind = 'numeric';
      } else if (f.personal) {
        const enumInSchema = dataType === 'text' ? ', an enum in the schema' : '';
        index.uncovered.push(`${where}: ${dataType}${enumInSchema}, cannot hold a distinctive value`);
      }
      if (rows && kind) {
        index.covered.push({ type, field, column: `${rule.table}.${column}`, kind, rows: rows.length });
        for (const r of rows) add({ value: serialize(r.value), fields: [[type, field]], table: rule.table, rowId: r.id });
      }
    }
  }
  for (let i = 1; i <= 8; i++) {
    const sub = `MK_AuditEvent_actorSub_${i}_`;
    index.actorSubs.push(sub);
    add({ value: sub, fields: [['AuditEvent', 'actorSub']] });
  }
  index.textMarkers = [...index.byValue.values()].filter((m) => m.value.startsWith('MK_'));
  return index;
}

/** How the API prints a stored value (as the driver returns it: Date, number, or string). */
function serialize(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/**
 * Sets `column` to `expression` (over `x.n`, the row's number) on every row (`onlyNonNull`: those
 * with a value); returns the rows' ids and new values as text, or undefined when a CHECK refuses.
 */
async function tryUpdate(
  ds: DataSource, table: string, column: string, expression: string, onlyNonNull: boolean,
): Promise<{ id: string; value: unknown }[] | undefined> {
  const filter = onlyNonNull ? `WHERE ${column} IS NOT NULL` : '';
  try {
    await ds.query(`
      UPDATE ${table} SET ${column} = ${expression}
      FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM ${table} ${filter}) x
      WHERE ${table}.id = x.id`);
  } catch (error) {
    if ((error as { code?: string }).code === '23514') return undefined; // check_violation
    throw error;
  }
  return ds.query(`SELECT id::text AS id, ${column} AS value FROM ${table} ${filter}`);
}

async function plantAddressColumn(ds: DataSource, table: string, column: string, part: string) {
  // The postal code's CHECK wants the Dutch form: 4 digits and 2 letters no seeded code uses.
  const expression = column === 'postal_code' ? `(1000 + x.n)::text || ' QX'` : `'MK_Dwelling_${part}_' || x.n || '_'`;
  const rows = await tryUpdate(ds, table, column, expression, false);
  if (!rows) throw new Error(`${table}.${column} refuses its marker`);
  if (column === 'postal_code' && rows.length > 8999) throw new Error('too many dwellings for distinctive postal codes');
  return rows;
}
