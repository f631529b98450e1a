/**
 * Callers for leak tests: who sends a request (valid tokens of every role and purpose, anonymous,
 * forged and malformed tokens), the headers that makes, the audience the policy then applies, and
 * which rows that caller may see markers of (POLICY.md "Row scope", written out independently of
 * the server's SQL so that the two check each other).
 */
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { canRead } from '../../src/privacy/policy/access';
import { Audience, isPurpose, Purpose, PURPOSES } from '../../src/platform/auth/audiences';
import { config, sign } from './app';
import { rawSign, unsignedToken } from './http';
import type { Marker } from './markers';

export type OrgRole = 'contractor' | 'builder' | 'bailiff';
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

/** Rows per table a caller may see markers of; `all` for every row. */
type RowSets = 'all' | Map<string, Set<string>>;

/** The row scopes of POLICY.md, per caller, as sets of row ids (computed once per tenant / org). */
export class RowOracle {
  private readonly cache = new Map<string, Promise<RowSets>>();

  constructor(private readonly ds: DataSource) {}

  async rowsOf(caller: CallerSpec): Promise<RowSets> {
    const audience = audienceFor(caller);
    if (audience === 'public') return new Map();
    if (caller.kind === 'staff') return 'all';
    const key = caller.kind === 'tenant' ? `tenant|${caller.tenantId}` : caller.kind === 'org' ? `${caller.role}|${caller.orgId}` : '';
    let sets = this.cache.get(key);
    if (!sets) {
      sets = caller.kind === 'tenant' ? this.tenantRows(caller.tenantId) : this.orgRows((caller as { role: OrgRole }).role, (caller as { orgId: string }).orgId);
      this.cache.set(key, sets);
    }
    return sets;
  }

  private async ids(sql: string, params: unknown[]): Promise<Set<string>> {
    const rows: { id: string }[] = await this.ds.query(sql, params);
    return new Set(rows.map((r) => String(r.id)));
  }

  private async allOrganizations(): Promise<Set<string>> {
    return this.ids('SELECT id FROM organization', []);
  }

  private async tenantRows(tenantId: string): Promise<RowSets> {
    const own = (table: string) => this.ids(`SELECT id FROM ${table} WHERE tenant_id = $1`, [tenantId]);
    return new Map<string, Set<string>>([
      ['tenant', await this.ids('SELECT id FROM tenant WHERE id = $1', [tenantId])],
      ['dwelling', await this.ids('SELECT dwelling_id AS id FROM lease WHERE tenant_id = $1', [tenantId])],
      ...(await Promise.all(
        ['lease', 'work_order', 'arrears_case', 'nuisance_case', 'invoice', 'notification', 'data_subject_request']
          .map(async (t) => [t, await own(t)] as [string, Set<string>]),
      )),
      ['disclosure', await this.ids('SELECT id FROM disclosure WHERE tenant_id = $1 AND NOT withheld', [tenantId])],
      ['organization', await this.allOrganizations()],
    ]);
  }

  /**
   * Contractor: its orders; the tenants and dwellings of its open ones (and, leniently, every dwelling
   * those tenants lease, since `Tenant.address` is the dwelling let). Bailiff: its handed-over cases,
   * their tenants and leases, those tenants' dwellings. Builder: its running projects and their dwellings.
   */
  private async orgRows(role: OrgRole, orgId: string): Promise<RowSets> {
    const sets = new Map<string, Set<string>>([['organization', await this.allOrganizations()]]);
    const leasedBy = `SELECT l.dwelling_id AS id FROM lease l WHERE l.tenant_id IN`;
    if (role === 'contractor') {
      const open = `SELECT tenant_id FROM work_order WHERE contractor_id = $1 AND status IN ('ASSIGNED', 'IN_PROGRESS')`;
      sets.set('work_order', await this.ids('SELECT id FROM work_order WHERE contractor_id = $1', [orgId]));
      sets.set('tenant', await this.ids(`SELECT tenant_id AS id FROM (${open}) o`, [orgId]));
      sets.set('dwelling', await this.ids(`
        SELECT dwelling_id AS id FROM work_order WHERE contractor_id = $1 AND status IN ('ASSIGNED', 'IN_PROGRESS')
        UNION ${leasedBy} (${open})`, [orgId]));
    } else if (role === 'bailiff') {
      const cases = `SELECT * FROM arrears_case WHERE bailiff_id = $1 AND status = 'HANDED_TO_BAILIFF'`;
      sets.set('arrears_case', await this.ids(`SELECT id FROM (${cases}) c`, [orgId]));
      sets.set('tenant', await this.ids(`SELECT tenant_id AS id FROM (${cases}) c`, [orgId]));
      sets.set('lease', await this.ids(`SELECT lease_id AS id FROM (${cases}) c`, [orgId]));
      sets.set('dwelling', await this.ids(`${leasedBy} (SELECT tenant_id FROM (${cases}) c)`, [orgId]));
    } else {
      const projects = `SELECT id FROM renovation_project WHERE builder_id = $1 AND CURRENT_DATE BETWEEN starts_on AND ends_on`;
      sets.set('renovation_project', await this.ids(projects, [orgId]));
      sets.set('dwelling', await this.ids(
        `SELECT dwelling_id AS id FROM renovation_project_dwelling WHERE project_id IN (${projects})`, [orgId]));
    }
    return sets;
  }
}

/** Why `marker` must not reach this caller, or undefined when the policy lets it. */
export function refusal(marker: Marker, audience: Audience, rows: RowSets): string | undefined {
  if (!marker.fields.some(([type, field]) => canRead(audience, type, field))) {
    return `audience ${audience} may not read ${marker.fields.map((f) => f.join('.')).join(' / ')}`;
  }
  if (rows === 'all' || !marker.table || !marker.rowId) return undefined;
  if (!rows.get(marker.table)?.has(marker.rowId)) return `row ${marker.table} ${marker.rowId} is outside the caller's scope`;
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
