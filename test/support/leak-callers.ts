/**
 * Callers for leak tests: who sends a request (valid tokens of every role and purpose, anonymous,
 * forged and malformed tokens), the headers that makes, the audience the policy then applies, and
 * which rows that caller may see markers of (the policy's row scopes, run apart from the server's
 * reader so that the two check each other).
 */
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { canRead, declaredField } from '../../src/privacy/policy/access';
import { compiled, openRowsWhere } from '../../src/privacy/policy/compiled';
import { ScopeExpr, ScopeParam, toSql } from '../../src/privacy/policy/scope-expr';
import { SqlParams } from '../../src/privacy/read/sql';
import { Audience, isPurpose, OrganisationRole, Purpose, PURPOSES, Role } from '../../src/platform/auth/audiences';
import { config, sign } from './app';
import { rawSign, unsignedToken } from './http';
import type { Marker } from './markers';

export type OrgRole = OrganisationRole;
export type Forgery = 'alg-none' | 'wrong-key' | 'expired' | 'wrong-audience' | 'wrong-issuer' | 'hs512' | 'tampered';

export type CallerSpec =
  | { kind: 'anonymous' }
  | { kind: 'tenant'; sub: string; tenantId: string }
  | { kind: 'staff'; sub: string; purposes: Purpose[]; xPurpose?: string }
  | { kind: 'org'; sub: string; role: OrgRole; orgId: string; xPurpose?: string }
  /** A privileged claim set in a token that must not verify. */
  | { kind: 'forged'; forgery: Forgery; claims: Record<string, unknown>; xPurpose?: string }
  /** An Authorization header that is not a bearer token at all. */
  | { kind: 'malformed'; header: string };

export function headersOf(caller: CallerSpec): Record<string, string> {
  const h: Record<string, string> = {};
  const purpose = 'xPurpose' in caller ? caller.xPurpose : undefined;
  if (purpose !== undefined) h['x-purpose'] = purpose;
  switch (caller.kind) {
    case 'anonymous':
      break;
    case 'tenant':
      h.authorization = `Bearer ${sign({ sub: caller.sub, role: 'tenant', tenantId: caller.tenantId })}`;
      break;
    case 'staff':
      h.authorization = `Bearer ${sign({ sub: caller.sub, role: 'staff', purposes: caller.purposes })}`;
      break;
    case 'org':
      h.authorization = `Bearer ${sign({ sub: caller.sub, role: caller.role, orgId: caller.orgId })}`;
      break;
    case 'forged':
      h.authorization = `Bearer ${forge(caller.forgery, caller.claims)}`;
      break;
    case 'malformed':
      h.authorization = caller.header;
      break;
  }
  return h;
}

function forge(forgery: Forgery, claims: Record<string, unknown>): string {
  switch (forgery) {
    case 'alg-none': return unsignedToken(claims);
    case 'wrong-key': return rawSign(claims, { secret: 'not-the-secret-of-this-server-0123456789' });
    case 'expired': return rawSign(claims, { expiresIn: -120 });
    case 'wrong-audience': return rawSign(claims, { audience: 'some-other-api' });
    case 'wrong-issuer': return rawSign(claims, { issuer: 'someone-else' });
    case 'hs512': return rawSign(claims, { algorithm: 'HS512' });
    case 'tampered': {
      // A valid token of a harmless caller whose payload is swapped for the privileged claims.
      const [header, , signature] = rawSign({ sub: 'nobody', role: 'tenant', tenantId: '00000000-0000-4000-8000-000000000000' }).split('.');
      const now = Math.floor(Date.now() / 1000);
      const payload = Buffer.from(JSON.stringify({ iat: now, exp: now + 600, iss: config.jwt.issuer, aud: config.jwt.audience, ...claims }))
        .toString('base64url');
      return `${header}.${payload}.${signature}`;
    }
  }
}

/**
 * The audience the policy applies to this caller. A request the server must refuse as a whole
 * (a token that does not verify, an X-Purpose the caller may not declare) reads as `public`:
 * nothing personal may come back.
 */
export function audienceFor(caller: CallerSpec): Audience {
  switch (caller.kind) {
    case 'anonymous':
    case 'forged':
    case 'malformed':
      return 'public';
    case 'tenant':
      return 'tenant';
    case 'org':
      return caller.xPurpose?.trim() ? 'public' : caller.role;
    case 'staff': {
      const declared = caller.xPurpose?.trim();
      if (!declared) return 'staff';
      return isPurpose(declared) && caller.purposes.includes(declared) ? `staff:${declared}` : 'public';
    }
  }
}

/**
 * Rows per table a caller reaches (`reached`) and those whose purpose runs (`open`: personal fields
 * readable); `all` for every row.
 */
type RowSets = 'all' | { reached: Map<string, Set<string>>; open: Map<string, Set<string>> };

/**
 * The row scopes of the policy, per caller, as sets of row ids (computed once per tenant / org). The
 * sets come from the same scope expressions as the server's WHERE, but are rendered as SQL of their
 * own and run on their own, row type by row type, away from the reader's joins, cursors and
 * closing logic; a row is open when its scope's `openWhile` holds and, for a scope reached through
 * another row (`inheritsOpen`), when the row it is reached through is open.
 */
export class RowOracle {
  private readonly cache = new Map<string, Promise<RowSets>>();

  constructor(private readonly ds: DataSource) {}

  async rowsOf(caller: CallerSpec): Promise<RowSets> {
    const audience = audienceFor(caller);
    if (audience === 'public') return { reached: new Map(), open: new Map() };
    if (caller.kind === 'staff') return 'all';
    if (caller.kind !== 'tenant' && caller.kind !== 'org') return { reached: new Map(), open: new Map() };
    const role: Role = caller.kind === 'tenant' ? 'tenant' : caller.role;
    const claims: Record<ScopeParam, string | null> = {
      tenantId: caller.kind === 'tenant' ? caller.tenantId : null,
      orgId: caller.kind === 'org' ? caller.orgId : null,
    };
    const key = `${role}|${claims.tenantId ?? claims.orgId}`;
    let sets = this.cache.get(key);
    if (!sets) {
      sets = this.scopedRows(role, claims);
      this.cache.set(key, sets);
    }
    return sets;
  }

  private async ids(table: string, where: ScopeExpr, claims: Record<ScopeParam, string | null>): Promise<Set<string>> {
    const params = new SqlParams();
    const sql = `SELECT ${table}.id::text AS id FROM ${table} AS ${table} WHERE ${toSql(where, (name) => params.add(claims[name]))}`;
    const rows: { id: string }[] = await this.ds.query(sql, params.values);
    return new Set(rows.map((r) => r.id));
  }

  private async scopedRows(role: Role, claims: Record<ScopeParam, string | null>): Promise<RowSets> {
    const reached = new Map<string, Set<string>>();
    const open = new Map<string, Set<string>>();
    for (const t of compiled.tables) {
      const scope = t.scopes.get(role);
      if (!scope) continue;
      reached.set(t.table, await this.ids(t.table, scope.where, claims));
      const opened = openRowsWhere(t, role)!;
      open.set(t.table, opened === scope.where ? reached.get(t.table)! : await this.ids(t.table, opened, claims));
    }
    // `Tenant.address` is the dwelling let: its markers are in the dwelling rows of the open tenants'
    // leases (leniently every lease of theirs, not only the running one).
    const tenants = [...(open.get('tenant') ?? [])];
    if (tenants.length) {
      const leased: { id: string }[] = await this.ds.query('SELECT dwelling_id::text AS id FROM lease WHERE tenant_id = ANY($1::uuid[])', [tenants]);
      for (const sets of [reached, open]) {
        const dwellings = new Set(sets.get('dwelling') ?? []);
        for (const r of leased) dwellings.add(r.id);
        sets.set('dwelling', dwellings);
      }
    }
    return { reached, open };
  }
}

/** Why `marker` must not reach this caller, or undefined when the policy lets it. */
export function refusal(marker: Marker, audience: Audience, rows: RowSets): string | undefined {
  if (!marker.fields.some(([type, field]) => canRead(audience, type, field))) {
    return `audience ${audience} may not read ${marker.fields.map((f) => f.join('.')).join(' / ')}`;
  }
  if (rows === 'all' || !marker.table || !marker.rowId) return undefined;
  // A personal value needs an open row; anything else a row the caller reaches.
  const personal = marker.fields.some(([type, field]) => declaredField(type, field)?.personal);
  if (!(personal ? rows.open : rows.reached).get(marker.table)?.has(marker.rowId)) {
    return `row ${marker.table} ${marker.rowId} is outside the caller's scope`;
  }
  return undefined;
}

export interface CallerPools {
  tenantIds: string[];
  orgIds: Record<OrgRole, string[]>;
  allOrgIds: string[];
  subs: string[];
}

const uuid = fc.uuid({ version: 4 });

/** Every kind of caller, valid and forged, drawn from the seeded tenants and organisations. */
export function callerArbitrary(pools: CallerPools): fc.Arbitrary<CallerSpec> {
  const sub = fc.constantFrom(...pools.subs);
  const purposeList = fc.oneof(
    { weight: 9, arbitrary: fc.uniqueArray(fc.constantFrom(...PURPOSES), { minLength: 1, maxLength: PURPOSES.length }) },
    { weight: 1, arbitrary: fc.constant([] as Purpose[]) },
  );
  const notAPurpose = fc.constantFrom('ADMIN', 'privacy', ' PRIVACY', 'PRIVACY,REPAIRS', '*', '');
  const anyPurpose = fc.oneof(fc.constantFrom(...PURPOSES), notAPurpose);
  const orgRole = fc.constantFrom<OrgRole>('contractor', 'builder', 'bailiff');
  const privileged = fc.oneof(
    fc.record({ sub, role: fc.constant('staff'), purposes: fc.constant([...PURPOSES]) }),
    fc.record({ sub, role: fc.constant('tenant'), tenantId: fc.constantFrom(...pools.tenantIds) }),
    fc.record({ sub, role: orgRole, orgId: fc.constantFrom(...pools.allOrgIds) }),
  );
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('tenant' as const), sub, tenantId: fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...pools.tenantIds) }, { weight: 1, arbitrary: uuid }) }) },
    {
      weight: 10,
      arbitrary: fc.record({ kind: fc.constant('staff' as const), sub, purposes: purposeList }).chain((s) =>
        fc.oneof(
          // The usual case: one of the granted purposes declared.
          { weight: 6, arbitrary: s.purposes.length ? fc.constantFrom(...s.purposes) : fc.constant(undefined) },
          { weight: 2, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: anyPurpose },
        ).map((xPurpose) => (xPurpose === undefined ? s : { ...s, xPurpose }))),
    },
    {
      weight: 6,
      arbitrary: orgRole.chain((role) => fc.record({
        kind: fc.constant('org' as const), sub, role: fc.constant(role),
        orgId: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...pools.orgIds[role]) },
          { weight: 1, arbitrary: fc.constantFrom(...pools.allOrgIds) }, { weight: 1, arbitrary: uuid }),
      })).chain((o) =>
        fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: anyPurpose })
          .map((xPurpose) => (xPurpose === undefined ? o : { ...o, xPurpose }))),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'anonymous' as const }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('forged' as const),
        forgery: fc.constantFrom<Forgery>('alg-none', 'wrong-key', 'expired', 'wrong-audience', 'wrong-issuer', 'hs512', 'tampered'),
        claims: privileged,
        xPurpose: fc.option(fc.constantFrom('PRIVACY', 'REPAIRS'), { nil: undefined }),
      }).map(({ xPurpose, ...f }): CallerSpec => (xPurpose === undefined ? f : { ...f, xPurpose })),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('malformed' as const),
        header: fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a.b.c', 'Bearer x y', 'bearer ..', 'Token abc'),
      }),
    },
  );
}
