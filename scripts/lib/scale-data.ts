/**
 * Bulk people for plan tests: `people` tenants and home seekers (6 in 10 with a running lease,
 * 3 home seekers, 1 former tenant with an ended lease), their dwellings, a work order and an
 * invoice per person, arrears cases on 8 in 100 tenants (a quarter handed to a bailiff, with the
 * disclosure and the tenant's notification) and nuisance cases about 3 in 100 reported by a
 * neighbour, as the demo seed has them, and an audit trail of `auditEvents` events (as many as people unless given), generated in the database itself
 * (generate_series, deterministic ids `md5('t' || n)`), then VACUUM ANALYZEd: the server's
 * autovacuum may be off. Used by the plan tests and `npm run bench -- --scale N`. Surnames follow a Dutch-like spread: 4 in 10 people carry one of 40 common names, so a
 * common-name search matches about 1%.
 */
import { Client } from 'pg';
import { NUISANCE } from '../../src/app/seed/vocabulary';
import { disclosedFields } from '../../src/privacy/policy/disclosed-fields';
import { ensureAuditPartitions } from '../../src/platform/audit/partitions';

const FIRST = ['Jan', 'Anna', 'Piet', 'Sanne', 'Kees', 'Fatima', 'Mohamed', 'Lotte', 'Daan', 'Emma', 'Noah', 'Julia', 'Sem',
  'Tess', 'Luuk', 'Zoë', 'Bram', 'Eva', 'Thijs', 'Sophie', 'Ahmed', 'Yara', 'Milan', 'Lieke', 'Ruben', 'Fleur', 'Mehmet', 'Iris', 'Joris', 'Noor'];
const COMMON = ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Janssen', 'Visser', 'Smit', 'Meijer', 'de Boer',
  'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits', 'de Graaf',
  'van der Meer', 'van der Linden', 'Kok', 'Jacobs', 'de Haan', 'Vermeulen', 'van den Heuvel', 'van der Veen', 'van den Broek', 'de Bruijn',
  'de Bruin', 'van der Heijden', 'Schouten', 'van Beek', 'Willems', 'van Vliet'];
const HEAD = ['Ber', 'Hol', 'Mol', 'Kui', 'Dam', 'Wes', 'Oos', 'Lan', 'Ver', 'Hoo', 'Ros', 'Stee', 'Bree', 'Wou', 'Kamp', 'Ree'];
const TAIL = ['kamp', 'man', 'stra', 'ink', 'hof', 'veld', 'berg', 'sma', 'ters', 'dijk', 'horst', 'broek', 'ing', 'laar', 'beek', 'wijk'];

const arr = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]`;

export interface ScaleData {
  people: number;
  /** The contractor with the most orders (3 in 10 of them). */
  largestContractorId: string;
  /** An ACTIVE tenant with a lease, an order, an invoice and audit events. */
  tenantId: string;
  commonSurname: string;
}

/** Loads into the database at `url` on a connection of its own, without the API's statement timeout. */
export async function loadScaleData(url: string, people: number, auditEvents = people): Promise<ScaleData> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await load(client, people, auditEvents);
  } finally {
    await client.end();
  }
}

async function load(client: Client, people: number, auditEvents: number): Promise<ScaleData> {
  const q = async (sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows;
  await q('SET synchronous_commit = off');
  const contractors: string[] = (await q(`SELECT id FROM organization WHERE kind = 'CONTRACTOR' ORDER BY id`)).map((r: any) => r.id);
  if (!contractors.length) throw new Error('scale data needs the seeded contractors');
  const bailiffs: { id: string; name: string }[] = await q(`SELECT id, name FROM organization WHERE kind = 'BAILIFF' ORDER BY id`);
  if (!bailiffs.length) throw new Error('scale data needs the seeded bailiffs');
  const dwellings = Math.ceil(people * 0.6);
  await q(`INSERT INTO dwelling (id, street, house_number, postal_code, city)
    SELECT md5('d' || i)::uuid, (ARRAY['Kerkstraat','Dorpsstraat','Molenweg','Schoolstraat','Stationsweg','Julianastraat','Beatrixlaan','Parallelweg'])[1 + i % 8],
      (1 + i % 250)::text, (1000 + i % 9000)::text || ' ' || chr(65 + i % 26) || chr(65 + (i / 26) % 26),
      (ARRAY['Utrecht','Amersfoort','Zeist','Nieuwegein','Houten','IJsselstein'])[1 + i % 6]
    FROM generate_series(1, $1::int) AS i`, [dwellings]);
  await q(`INSERT INTO tenant (id, first_name, last_name, date_of_birth, email, phone, status, registered_at, deregistered_at)
    SELECT md5('t' || i)::uuid, (${arr(FIRST)})[1 + (i * 7) % ${FIRST.length}],
      CASE WHEN (i * 3) % 10 < 4 THEN (${arr(COMMON)})[1 + (i * 13) % ${COMMON.length}]
        ELSE (${arr(HEAD)})[1 + i % ${HEAD.length}] || (${arr(TAIL)})[1 + (i / ${HEAD.length}) % ${TAIL.length}]
          || (${arr(TAIL)})[1 + (i / ${HEAD.length * TAIL.length}) % ${TAIL.length}] END,
      date '1940-01-01' + (i * 37) % 25000, 'persoon' || i || '@voorbeeld.nl', '+3197' || lpad(i::text, 9, '0'),
      CASE WHEN i % 10 < 6 THEN 'ACTIVE' WHEN i % 10 < 9 THEN 'HOME_SEEKER' ELSE 'FORMER' END,
      timestamptz '2010-01-01' + (i % 5000) * interval '1 day',
      CASE WHEN i % 10 = 9 THEN timestamptz '2025-06-01' + (i % 300) * interval '1 day' END
    FROM generate_series(1, $1::int) AS i`, [people]);
  await q(`INSERT INTO lease (id, tenant_id, dwelling_id, start_date, end_date, monthly_rent)
    SELECT md5('l' || i)::uuid, md5('t' || i)::uuid, md5('d' || (1 + i % $2::int))::uuid, date '2012-01-01' + i % 4000,
      CASE WHEN i % 10 = 9 THEN date '2025-06-01' + i % 300 END, 450 + (i % 500)
    FROM generate_series(1, $1::int) AS i WHERE i % 10 < 6 OR i % 10 = 9`, [people, dwellings]);
  // Orders of ACTIVE people (t % 10 = 1 .. 5), about one per person: 3 in 10 for the first contractor.
  await q(`INSERT INTO work_order (id, tenant_id, dwelling_id, contractor_id, description, status, created_at, scheduled_for)
    SELECT md5('w' || i)::uuid, md5('t' || t)::uuid, md5('d' || (1 + t % $2::int))::uuid,
      CASE WHEN i % 10 < 3 THEN ($3::uuid[])[1] ELSE ($3::uuid[])[1 + i % cardinality($3::uuid[])] END,
      (ARRAY['Lekkage onder het aanrecht','Cv-ketel geeft storing','Deurslot klemt','Schimmel in de badkamer','Raam sluit niet'])[1 + i % 5],
      (ARRAY['ASSIGNED','IN_PROGRESS','DONE','DONE','DONE'])[1 + i % 5], timestamptz '2026-11-30' - (i % 2000) * interval '1 hour', NULL
    FROM generate_series(1, $1::int - 10) AS i CROSS JOIN LATERAL (SELECT i - i % 10 + 1 + i % 5 AS t) AS pick`,
  [people, dwellings, contractors]);
  await q(`INSERT INTO invoice (id, tenant_id, lease_id, period, amount, status, paid_at)
    SELECT md5('i' || i)::uuid, md5('t' || i)::uuid, md5('l' || i)::uuid, '2026-' || lpad((1 + i % 11)::text, 2, '0'), 450 + (i % 500),
      CASE WHEN i % 4 = 0 THEN 'OPEN' ELSE 'PAID' END, CASE WHEN i % 4 = 0 THEN NULL ELSE timestamptz '2026-11-01' END
    FROM generate_series(1, $1::int) AS i WHERE i % 10 < 6`, [people]);
  // Arrears on the running lease of 8 in 100 tenants, in every status; hand-overs are disclosures the tenant is told of.
  const cases = `FROM generate_series(1, $1::int) AS i CROSS JOIN LATERAL (SELECT (ARRAY['OPEN','PAYMENT_PLAN','HANDED_TO_BAILIFF','CLOSED'])[1 + (i / 10) % 4] AS status,
      ($2::uuid[])[1 + i % cardinality($2::uuid[])] AS bailiff, timestamptz '2026-06-01' + (i % 150) * interval '1 day' AS handed) AS c`;
  const withCase = 'i % 10 < 6 AND (i / 10) % 100 < 8';
  const handedOver = `${cases} JOIN organization o ON o.id = c.bailiff WHERE ${withCase} AND c.status = 'HANDED_TO_BAILIFF'`;
  const bailiffIds = bailiffs.map((b) => b.id);
  await q(`INSERT INTO arrears_case (id, tenant_id, lease_id, amount_due, since, status, handed_over_at, bailiff_id, closed_at)
    SELECT md5('a' || i)::uuid, md5('t' || i)::uuid, md5('l' || i)::uuid, 450 + (i % 500) * (1 + i % 4), date '2026-01-01' + i % 300, c.status,
      CASE WHEN c.status = 'HANDED_TO_BAILIFF' THEN c.handed END, CASE WHEN c.status = 'HANDED_TO_BAILIFF' THEN c.bailiff END,
      CASE WHEN c.status = 'CLOSED' THEN timestamptz '2026-11-01' END ${cases} WHERE ${withCase}`, [people, bailiffIds]);
  await q(`INSERT INTO disclosure (tenant_id, recipient_kind, recipient_org_id, recipient_name, purpose, fields, disclosed_at)
    SELECT md5('t' || i)::uuid, 'BAILIFF', c.bailiff, o.name, 'ARREARS', $3::text[], c.handed ${handedOver}`, [people, bailiffIds, disclosedFields('bailiff')]);
  await q(`INSERT INTO notification (tenant_id, kind, message, created_at)
    SELECT md5('t' || i)::uuid, 'BAILIFF_HANDOVER', 'Uw huurachterstand is overgedragen aan ' || o.name || '.', c.handed ${handedOver}`, [people, bailiffIds]);
  // Nuisance about 3 in 100 tenants, each reported by the tenant ten numbers on (a neighbour, also a tenant).
  await q(`INSERT INTO nuisance_case (id, tenant_id, reported_by_id, description, status, created_at)
    SELECT md5('n' || i)::uuid, md5('t' || i)::uuid, md5('t' || (i + 10))::uuid, (${arr(NUISANCE)})[1 + i % ${NUISANCE.length}],
      (ARRAY['OPEN','MEDIATION','CLOSED'])[1 + (i / 10) % 3], timestamptz '2026-11-30' - (i % 700) * interval '1 day'
    FROM generate_series(1, $1::int - 10) AS i WHERE i % 10 < 6 AND (i / 10) % 100 BETWEEN 10 AND 12`, [people]);
  // One event a second up to the end of November, each about one person: their months' partitions
  // first, then a million events a statement (the tenant index is written per statement).
  await ensureAuditPartitions({ query: q }, new Date(), new Date(Date.parse('2026-11-30T00:00:00Z') - auditEvents * 1000));
  for (let from = 1; from <= auditEvents; from += 1_000_000) {
    await q(`INSERT INTO audit_event (chain, seq, at, actor_sub, role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash)
      SELECT 'scale-data', i, timestamptz '2026-11-30' - ($2::int - i) * interval '1 second', 'employee-' || (i % 40), 'staff', NULL, 'LETTING',
        'query TenantList', ARRAY[md5('t' || (1 + (i::bigint * 7919) % $1::int))::uuid], ARRAY['Tenant.firstName','Tenant.lastName'], NULL, md5(i::text)
      FROM generate_series($3::int, LEAST($3::int + 999999, $2::int)) AS i`, [people, auditEvents, from]);
  }
  // The visibility map as autovacuum leaves a database in use: a bounded count is an index-only
  // scan that stops at its bound only where the planner knows the pages are all visible. VACUUM
  // marks a page all-visible only once its rows' commits are flushed (it cannot hint an
  // asynchronous commit still in memory): one synchronous commit first flushes every earlier one.
  await q('SET synchronous_commit = on');
  await q('BEGIN');
  await q('SELECT pg_current_xact_id()');
  await q('COMMIT');
  await q('VACUUM ANALYZE');
  return { people, largestContractorId: contractors[0], tenantId: (await q(`SELECT md5('t' || 11)::uuid AS id`))[0].id, commonSurname: 'Jansen' };
}
