/**
 * Row scopes as data: a small expression language over the tables, instead of SQL text.
 *
 * One expression yields the WHERE fragment of the scoped reader (parameters bound by the caller),
 * the text of the generated documentation, the test oracle's queries and the benchmark peer's
 * row-level security policies, so that no one of them writes a scope again by hand.
 */

/** What a scope may ask of the caller: the claims of its token. */
export const SCOPE_PARAMS = ['tenantId', 'orgId'] as const;
export type ScopeParam = (typeof SCOPE_PARAMS)[number];

export type Operand =
  | { op: 'col'; table?: string; column: string }
  | { op: 'param'; name: ScopeParam }
  | { op: 'lit'; value: string }
  | { op: 'currentDate' };

export interface ExistsSource {
  table: string;
  alias: string;
}

export type ScopeExpr =
  | { op: 'all' }
  | { op: 'eq'; left: Operand; right: Operand }
  | { op: 'gte'; left: Operand; right: Operand }
  | { op: 'isNull'; operand: Operand }
  /** A boolean column. */
  | { op: 'isTrue'; operand: Operand }
  | { op: 'not'; expr: ScopeExpr }
  | { op: 'and'; exprs: readonly ScopeExpr[] }
  | { op: 'or'; exprs: readonly ScopeExpr[] }
  | { op: 'inValues'; operand: Operand; values: readonly string[] }
  | { op: 'between'; operand: Operand; low: Operand; high: Operand }
  /** An array column (of uuids unless said) holds the element. */
  | { op: 'arrayHas'; operand: Operand; element: Operand; of?: 'text' }
  | { op: 'exists'; from: ExistsSource; joins: readonly (ExistsSource & { on: ScopeExpr })[]; where: readonly ScopeExpr[] };

// The builders the policy is written with.
/** A column, `alias.column` or (inside the scope's own table) a bare `column`. */
export function col(ref: string): Operand {
  const [table, column] = ref.includes('.') ? ref.split('.') : [undefined, ref];
  return table ? { op: 'col', table, column } : { op: 'col', column };
}
export const param = (name: ScopeParam): Operand => ({ op: 'param', name });
export const lit = (value: string): Operand => ({ op: 'lit', value });
export const currentDate: Operand = { op: 'currentDate' };
export const all = (): ScopeExpr => ({ op: 'all' });
export const eq = (left: Operand, right: Operand): ScopeExpr => ({ op: 'eq', left, right });
export const gte = (left: Operand, right: Operand): ScopeExpr => ({ op: 'gte', left, right });
export const isNull = (operand: Operand): ScopeExpr => ({ op: 'isNull', operand });
export const isTrue = (operand: Operand): ScopeExpr => ({ op: 'isTrue', operand });
export const not = (expr: ScopeExpr): ScopeExpr => ({ op: 'not', expr });
export const and = (...exprs: ScopeExpr[]): ScopeExpr => ({ op: 'and', exprs });
export const or = (...exprs: ScopeExpr[]): ScopeExpr => ({ op: 'or', exprs });
export const inValues = (operand: Operand, values: readonly string[]): ScopeExpr => ({ op: 'inValues', operand, values });
export const currentDateBetween = (low: Operand, high: Operand): ScopeExpr => ({ op: 'between', operand: currentDate, low, high });
export const arrayHas = (operand: Operand, element: Operand, of?: 'text'): ScopeExpr => ({ op: 'arrayHas', operand, element, ...(of ? { of } : {}) });
export const exists = (spec: { from: ExistsSource; joins?: (ExistsSource & { on: ScopeExpr })[]; where: ScopeExpr[] }): ScopeExpr =>
  ({ op: 'exists', from: spec.from, joins: spec.joins ?? [], where: spec.where });

/** How a parameter appears in the SQL: a bound placeholder, `:name` in the docs, a function call in RLS. */
export type BindParam = (name: ScopeParam) => string;

const IDENT = /^[a-z_][a-z0-9_]*$/i;

function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`unsafe identifier in a row scope: ${name}`);
  return name;
}

function operandSql(o: Operand, bind: BindParam): string {
  switch (o.op) {
    case 'col': return o.table ? `${ident(o.table)}.${ident(o.column)}` : ident(o.column);
    case 'param': return bind(o.name);
    case 'lit': return `'${o.value.replace(/'/g, "''")}'`;
    case 'currentDate': return 'CURRENT_DATE';
  }
}

/** The expression as SQL (one line). */
export function toSql(e: ScopeExpr, bind: BindParam): string {
  const o = (x: Operand) => operandSql(x, bind);
  const sub = (x: ScopeExpr) => toSql(x, bind);
  switch (e.op) {
    case 'all': return 'TRUE';
    case 'eq': return `${o(e.left)} = ${o(e.right)}`;
    case 'gte': return `${o(e.left)} >= ${o(e.right)}`;
    case 'isNull': return `${o(e.operand)} IS NULL`;
    case 'isTrue': return o(e.operand);
    // Parenthesised: NOT binds tighter than AND, so `NOT a AND b` would negate `a` alone.
    case 'not': return `NOT (${sub(e.expr)})`;
    case 'and': return e.exprs.map(sub).join(' AND ');
    case 'or': return `(${e.exprs.map(sub).join(' OR ')})`;
    case 'inValues': return `${o(e.operand)} IN (${e.values.map((v) => o(lit(v))).join(', ')})`;
    case 'between': return `${o(e.operand)} BETWEEN ${o(e.low)} AND ${o(e.high)}`;
    case 'arrayHas': return `${o(e.operand)} @> ARRAY[${o(e.element)}]::${e.of ?? 'uuid'}[]`;
    case 'exists': {
      const joins = e.joins.map((j) => ` JOIN ${ident(j.table)} ${ident(j.alias)} ON ${sub(j.on)}`).join('');
      return `EXISTS (SELECT 1 FROM ${ident(e.from.table)} ${ident(e.from.alias)}${joins} WHERE ${e.where.map(sub).join(' AND ')})`;
    }
  }
}

/** The expression as the documentation shows it: parameters as `:tenantId`, `:orgId`. */
export const docSql = (e: ScopeExpr): string => toSql(e, (name) => `:${name}`);

/** An expression that asks nothing of the caller (a running lease) as SQL; a parameter in it is a mistake. */
export const paramlessSql = (e: ScopeExpr): string =>
  toSql(e, (name) => {
    throw new Error(`this expression takes no caller parameter (${name})`);
  });

/** The parameters an expression uses. */
export function paramsOf(e: ScopeExpr): Set<ScopeParam> {
  const found = new Set<ScopeParam>();
  const operand = (x: Operand) => {
    if (x.op === 'param') found.add(x.name);
  };
  const walk = (x: ScopeExpr): void => {
    switch (x.op) {
      case 'all': return;
      case 'eq': case 'gte': operand(x.left); operand(x.right); return;
      case 'isNull': case 'isTrue': case 'inValues': operand(x.operand); return;
      case 'arrayHas': operand(x.operand); operand(x.element); return;
      case 'between': operand(x.operand); operand(x.low); operand(x.high); return;
      case 'not': walk(x.expr); return;
      case 'and': case 'or': x.exprs.forEach(walk); return;
      case 'exists': x.joins.forEach((j) => walk(j.on)); x.where.forEach(walk); return;
    }
  };
  walk(e);
  return found;
}

/** `e` with `extra` added to the WHERE of its sub-query over `table` (an `exists`, possibly inside an `and`). */
export function narrowExists(e: ScopeExpr, table: string, extra: (alias: string) => ScopeExpr): ScopeExpr {
  if (e.op === 'exists' && e.from.table === table) return { ...e, where: [...e.where, extra(e.from.alias)] };
  if (e.op === 'and') return { ...e, exprs: e.exprs.map((x) => narrowExists(x, table, extra)) };
  return e;
}

/** `e` (over `table`) naming the table by `alias` instead, for use inside a sub-query over it. */
export function renameTable(e: ScopeExpr, table: string, alias: string): ScopeExpr {
  return JSON.parse(JSON.stringify(e), (k, v) => (k === 'table' && v === table ? alias : v));
}

/** The tables a scope's sub-queries read, the scope's own excepted. */
export function tablesOf(e: ScopeExpr): Set<string> {
  const found = new Set<string>();
  const walk = (x: ScopeExpr): void => {
    if (x.op === 'not') walk(x.expr);
    else if (x.op === 'and' || x.op === 'or') x.exprs.forEach(walk);
    else if (x.op === 'exists') {
      found.add(x.from.table);
      for (const j of x.joins) found.add(j.table);
      x.where.forEach(walk);
    }
  };
  walk(e);
  return found;
}
