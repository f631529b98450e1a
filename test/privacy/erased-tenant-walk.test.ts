/**
 * Anonymous means anonymous (POLICY.md "Retention"): a tenant erased on request and one anonymised
 * by the retention job are identifiable through no path the API serves. Distinctive values are
 * planted in every personal field about them (names, contact, bank account, the dwelling let, the
 * free text of a repair request, a nuisance report, a disclosure's recipient and reason, a
 * notification, a request's outcome). Then every Query field of the schema is called with every
 * path it reaches, as every audience (each role, each staff purpose, staff without one, the public),
 * with the arguments that reach these two (their ids, their orders, searches by their old values
 * and by what masking writes), and no response may hold a planted value. Before the erasure the
 * same walk finds them all, so it can fail.
 */
import { getNamedType, GraphQLSchema, isObjectType } from 'graphql';
import { buildBareSchema } from '../../src/app/schema';
import { ALL_AUDIENCES, Audience, Purpose } from '../../src/platform/auth/audiences';
import { runRetention } from '../../src/domains/retention/retention';
import { compiled } from '../../src/privacy/policy/compiled';
import { tokens } from '../support/app';
import { withEveryPath } from '../support/recorded-values';
import { organization, ownId } from '../support/rows';
import { openScratchDatabase, ScratchDatabase } from '../support/scratch-db';
import { startScratchApp, ScratchApp } from '../support/scratch-app';

interface Person {
  id: string;
  dwellingId: string;
  orderId: string;
  /** Every value planted about the person, as a client would see it. */
  planted: string[];
}

let db: ScratchDatabase;
let app: ScratchApp;
let schema: GraphQLSchema;
let erased: Person;
let retained: Person;
let orgs: { contractor: string; builder: string; bailiff: string };

/** A person with a distinctive value in every personal column about them; `former`: deregistered two years ago. */
async function plantPerson(tag: string, former: boolean): Promise<Person> {
  const q = (sql: string, params: unknown[]) => db.dataSource.query(sql, params);
  const id = ownId();
  const dwellingId = ownId();
  const leaseId = ownId();
  const orderId = ownId();
  const caseId = ownId();
  const digits = String(Math.floor(Math.random() * 1e7)).padStart(7, '0');
  const v = {
    first: `Eeuwoud${tag}`, last: `Wisselinkhof${tag}`, email: `wisselinkhof.${tag.toLowerCase()}@voorbeeld.test`,
    phone: `+3161${digits}`, iban: `NL${tag === 'A' ? '18' : '75'}TEST0${digits}99`.slice(0, 18),
    street: `Kloosterzijl${tag}laan`, repair: `Reparatie${tag}: dochter Femmetje${tag} heeft astma`, nuisance: `Melding${tag} over drugsgebruik van buurman Hielke${tag}`,
    recipient: `Inspecteur Ouwehand${tag}`, reason: `Opsporingsonderzoek${tag} 2026-114`, message: `Bericht${tag} over uw dossier`, outcome: `Uitkomst${tag} voor Wisselinkhof`,
  };
  await q(`INSERT INTO tenant (id, first_name, last_name, date_of_birth, email, phone, iban, income_category, household_size, status, deregistered_at)
    VALUES ($1, $2, $3, '1931-07-19', $4, $5, $6, 'BELOW_THRESHOLD', 7, $7, $8)`,
  [id, v.first, v.last, v.email, v.phone, v.iban, former ? 'FORMER' : 'HOME_SEEKER', former ? new Date(Date.now() - 2 * 365 * 86_400_000) : null]);
  await q(`INSERT INTO dwelling (id, street, house_number, postal_code, city) VALUES ($1, $2, '77', '9876 XY', 'Oudewater')`, [dwellingId, v.street]);
  await q(`INSERT INTO lease (id, tenant_id, dwelling_id, start_date, end_date, monthly_rent) VALUES ($1, $2, $3, '2010-01-01', '2023-06-30', 812.34)`, [leaseId, id, dwellingId]);
  await q(`INSERT INTO work_order (id, tenant_id, dwelling_id, contractor_id, description, status) VALUES ($1, $2, $3, $4, $5, 'ASSIGNED')`,
    [orderId, id, dwellingId, orgs.contractor, v.repair]);
  await q(`INSERT INTO arrears_case (id, tenant_id, lease_id, amount_due, since, status, handed_over_at, bailiff_id)
    VALUES ($1, $2, $3, 432.10, '2023-01-01', 'HANDED_TO_BAILIFF', now(), $4)`, [caseId, id, leaseId, orgs.bailiff]);
  await q(`INSERT INTO invoice (tenant_id, lease_id, period, amount, status) VALUES ($1, $2, '2023-05', 812.34, 'OPEN')`, [id, leaseId]);
  await q(`INSERT INTO nuisance_case (tenant_id, description, status) VALUES ($1, $2, 'OPEN')`, [id, v.nuisance]);
  await q(`INSERT INTO disclosure (tenant_id, recipient_kind, recipient_name, purpose, fields, withheld, withheld_reason)
    VALUES ($1, 'AUTHORITY', $2, 'LEGAL_OBLIGATION', ARRAY['Tenant.address'], true, $3), ($1, 'AUTHORITY', $2, 'LEGAL_OBLIGATION', ARRAY['Tenant.iban'], false, NULL)`,
  [id, v.recipient, v.reason]);
  await q(`INSERT INTO notification (tenant_id, kind, message) VALUES ($1, 'LEGAL_DISCLOSURE', $2)`, [id, v.message]);
  await q(`INSERT INTO data_subject_request (tenant_id, kind, status, received_at, due_at, resolved_at, outcome)
    VALUES ($1, 'ACCESS', 'RESOLVED', now() - interval '3 days', now(), now(), $2)`, [id, v.outcome]);
  // The phone as clients see it, and the birth date (a date alone would also match other people's).
  return { id, dwellingId, orderId, planted: [...Object.values(v), '1931-07-19'] };
}

function callerHeaders(audience: Audience, self: Person): Record<string, string> {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  if (audience === 'public') return {};
  if (audience === 'tenant') return bearer(tokens.tenant(self.id));
  if (audience === 'staff') return bearer(tokens.staff('REPAIRS', 'PRIVACY'));
  if (audience === 'contractor' || audience === 'builder' || audience === 'bailiff') return bearer(tokens.org(audience, orgs[audience]));
  const purpose = audience.slice('staff:'.length) as Purpose;
  return { ...bearer(tokens.staff(purpose)), 'x-purpose': purpose };
}

/**
 * The calls of each Query field that can reach a person: by id, by their orders, in lists, and by
 * search on every value planted and on what masking writes. A Query field without an entry fails.
 */
function callsOf(field: string, p: Person): { query: string; variables?: Record<string, unknown> }[] {
  const searches = [...p.planted.slice(0, 3), 'Geanonimiseerd', 'Anoniem', 'anon-', '[verwijderd]'];
  switch (field) {
    case 'tenant': return [{ query: 'query($id: ID!) { tenant(id: $id) { id } }', variables: { id: p.id } }];
    case 'tenants': return searches.map((search) => ({ query: 'query($s: String) { tenants(search: $s, first: 100) { totalCount } }', variables: { s: search } }));
    case 'workOrder': return [{ query: 'query($id: ID!) { workOrder(id: $id) { id } }', variables: { id: p.orderId } }];
    case 'workOrders': return [{ query: '{ workOrders(first: 100) { totalCount } }' }];
    case 'auditLog': return [{ query: 'query($t: ID) { auditLog(tenantId: $t, first: 100) { totalCount } }', variables: { t: p.id } }];
    case 'auditLogExport': return [{ query: 'query($t: ID) { auditLogExport(tenantId: $t, format: JSON) }', variables: { t: p.id } }];
    case 'myAccessLog': return [{ query: '{ myAccessLog(first: 100) { at } }' }];
    // Art. 19 notices, unsent and sent: their disclosure names the recipient.
    case 'recipientNotices': return [{ query: '{ recipientNotices { __typename } }' }, { query: '{ recipientNotices(sent: true) { __typename } }' }];
    case 'arrearsCases': case 'dataSubjectRequests': case 'myNotifications': case 'myProfile': case 'myDataExport':
    case 'renovationProjects': case 'organizations': case 'privacyStatement':
      return [{ query: `{ ${field} ${isObjectType(getNamedType(schema.getQueryType()!.getFields()[field].type)) ? '{ __typename }' : ''} }` }];
    default: throw new Error(`Query.${field}: no call in the walk; add how it can reach a person`);
  }
}

/**
 * Every response text of every path of every call, for every audience; the planted values each one
 * holds. An audience the entry point refuses is called on one path only (its refusal is all there
 * is to see); requests go out a few at a time.
 */
async function walk(people: Person[], audiences: readonly Audience[] = ALL_AUDIENCES): Promise<Map<string, Set<string>>> {
  const found = new Map<string, Set<string>>();
  const requests: (() => Promise<void>)[] = [];
  let n = 0;
  for (const p of people) {
    const planted = p.planted.map((v) => v.toLowerCase());
    for (const field of Object.keys(schema.getQueryType()!.getFields())) {
      const callers = compiled.entryPoints.find((e) => e.path === `Query.${field}`)?.readers ?? new Set<Audience>();
      for (const call of callsOf(field, p)) {
        const paths = withEveryPath(schema, call.query, `ErasedWalk${n++}`);
        for (const audience of audiences) {
          for (const walked of callers.has(audience) ? paths : paths.slice(0, 1)) {
            requests.push(async () => {
              const r = await app.post(walked.query, call.variables, callerHeaders(audience, p));
              expect(r.status).toBeLessThan(500);
              const text = r.text.toLowerCase();
              for (const [i, v] of planted.entries()) {
                if (text.includes(v)) found.set(p.planted[i], (found.get(p.planted[i]) ?? new Set()).add(`${audience} ${field}`));
              }
            });
          }
        }
      }
    }
  }
  const next = async (): Promise<void> => {
    for (let request = requests.shift(); request; request = requests.shift()) await request();
  };
  await Promise.all([next(), next(), next(), next()]);
  return found;
}

beforeAll(async () => {
  db = await openScratchDatabase({ tenantsPerStatus: 4 });
  orgs = {
    contractor: (await organization(db.dataSource, 'CONTRACTOR')).id,
    builder: (await organization(db.dataSource, 'BUILDER')).id,
    bailiff: (await organization(db.dataSource, 'BAILIFF')).id,
  };
  app = await startScratchApp(db.dataSource);
  schema = await buildBareSchema();
  erased = await plantPerson('A', false);
  retained = await plantPerson('B', true);
}, 240_000); // two planted tenants on every path: slow on a busy machine

afterAll(async () => {
  await app?.close();
  await db?.close();
});

/** Each walk reads every path of the schema as every audience: minutes on a busy machine, not seconds. */
const WALK_TIMEOUT_MS = 240_000;

test('before: the walk finds every planted value of both, so it would find one left behind', async () => {
  const found = await walk([erased, retained], ['tenant', 'staff:PRIVACY', 'contractor', 'bailiff']);
  const missing = [...erased.planted, ...retained.planted].filter((v) => !found.has(v));
  expect(missing).toEqual([]);
}, WALK_TIMEOUT_MS);

test('after erasure and retention: no audience finds any planted value on any path', async () => {
  // The erasure as the tenant asks it and the privacy officer carries it out.
  const asked = await app.post('mutation { submitDataSubjectRequest(kind: ERASURE) { id } }', {}, callerHeaders('tenant', erased));
  const requestId = asked.body.data.submitDataSubjectRequest.id;
  const done = await app.post('mutation($id: ID!) { resolveDataSubjectRequest(id: $id) { outcome } }', { id: requestId }, callerHeaders('staff:PRIVACY', erased));
  expect(done.body.data.resolveDataSubjectRequest.outcome).toMatch(/^Anonymised/);
  // The retention job: the other left two years ago.
  const summary = await runRetention(db.dataSource);
  expect(summary.tenantsAnonymised).toBeGreaterThanOrEqual(1);

  const found = await walk([erased, retained]);
  expect(Object.fromEntries([...found].map(([v, where]) => [v, [...where]]))).toEqual({});
  // And nothing ties them to the dwellings they lived in.
  const [{ n }] = await db.dataSource.query(
    `SELECT (SELECT count(*) FROM lease WHERE dwelling_id = ANY($1::uuid[])) + (SELECT count(*) FROM work_order WHERE dwelling_id = ANY($1::uuid[])) AS n`,
    [[erased.dwellingId, retained.dwellingId]],
  );
  expect(Number(n)).toBe(0);
}, WALK_TIMEOUT_MS);
