/** POLICY.md "Audit": every response with personal data is recorded, chained, and fails closed. */
import { hashEvent } from '../../../src/platform/audit/audit-hash';
import { auditPlugin } from '../../../src/platform/audit/audit-plugin';
import { AuditTrail } from '../../../src/platform/audit/audit-trail';
import { ChainedAuditWriter } from '../../../src/platform/audit/audit-writer';
import { verifyAuditChains } from '../../../src/platform/audit/verify';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asStaff, codes, config, startTestApp, TestApp, tokens } from '../../support/app';
import { findFixtures, Fixtures } from '../../support/fixtures';
import { collectGarbage } from '../../support/gc';

let t: TestApp;
let fx: Fixtures;

beforeAll(async () => {
  t = await startTestApp();
  fx = await findFixtures(t.dataSource);
});
afterAll(() => t?.close());

const eventsFor = (tenantId: string, operation: string) =>
  t.dataSource.query(`SELECT * FROM audit_event WHERE $1 = ANY(tenant_ids) AND operation = $2 ORDER BY id`, [tenantId, operation]);

test('a read of personal data records who, which operation, which tenants and fields, never values', async () => {
  const r = await t.gql('query AuditProbeDetail($id: ID!) { tenant(id: $id) { id email iban status } }', { id: fx.tenantId }, asStaff('RENT_COLLECTION'));
  expect(r.data.tenant.email).toContain('@');
  const [event] = await eventsFor(fx.tenantId, 'query AuditProbeDetail');
  expect(event).toMatchObject({ actor_sub: 'employee-1', role: 'staff', purpose: 'RENT_COLLECTION', org_id: null });
  expect([...event.fields].sort()).toEqual(['Tenant.email', 'Tenant.iban', 'Tenant.status']);
  expect(event.tenant_ids).toEqual([fx.tenantId]);
  const stored = JSON.stringify(event);
  expect(stored).not.toContain(r.data.tenant.email);
  expect(stored).not.toContain(r.data.tenant.iban);
});

test('a refused field is not recorded as read', async () => {
  await t.gql('query AuditProbeRefused($id: ID!) { tenant(id: $id) { email iban } }', { id: fx.tenantId }, asStaff('REPAIRS'));
  const [event] = await eventsFor(fx.tenantId, 'query AuditProbeRefused');
  expect(event.fields).toEqual(['Tenant.email']);
});

test('a response without personal data records nothing', async () => {
  const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE operation = 'query AuditProbeNone'`);
  await t.gql('query AuditProbeNone { organizations { id name } }', {}, asStaff('REPAIRS'));
  const after = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE operation = 'query AuditProbeNone'`);
  expect(after[0].n).toBe(before[0].n);
});

test('the tenant reads its own access log, without the employee identity', async () => {
  await t.gql('query AuditProbeForLog($id: ID!) { tenant(id: $id) { lastName } }', { id: fx.tenantId }, asStaff('LETTING'));
  const r = await t.gql('{ myAccessLog(first: 50) { at role purpose operation fields actorSub } }', {}, { token: tokens.tenant(fx.tenantId) });
  const entry = r.data.myAccessLog.find((e: any) => e.operation === 'query AuditProbeForLog');
  expect(entry).toMatchObject({ role: 'staff', purpose: 'LETTING', fields: ['Tenant.lastName'], actorSub: null });
  expect(codes(r).every((c) => c === 'FORBIDDEN')).toBe(true);
});

test("a builder's read of dwelling addresses is recorded for the tenants living there, and is in their access log", async () => {
  const r = await t.gql('query AuditProbeBuilder { renovationProjects { dwellings { address { street } } } }', {}, { token: tokens.org('builder', fx.builderId) });
  expect(r.errors).toBeUndefined();
  // Tenants whose lease of a dwelling in the builder's running projects has not ended; not former ones.
  const living: { tenant_id: string; ended: boolean }[] = await t.dataSource.query(`
    SELECT DISTINCT l.tenant_id, l.end_date < CURRENT_DATE AS ended FROM lease l
    JOIN renovation_project_dwelling rd ON rd.dwelling_id = l.dwelling_id JOIN renovation_project p ON p.id = rd.project_id
    WHERE p.builder_id = $1 AND CURRENT_DATE BETWEEN p.starts_on AND p.ends_on`, [fx.builderId]);
  const current = living.filter((l) => !l.ended).map((l) => l.tenant_id).sort();
  expect(current.length).toBeGreaterThan(0);
  expect(living.some((l) => l.ended)).toBe(true);
  const [event] = await t.dataSource.query(`SELECT * FROM audit_event WHERE operation = 'query AuditProbeBuilder' ORDER BY id DESC LIMIT 1`);
  expect(event).toMatchObject({ role: 'builder', org_id: fx.builderId, fields: ['Dwelling.address'] });
  expect([...event.tenant_ids].sort()).toEqual(current);
  const log = await t.gql('{ myAccessLog(first: 50) { role operation fields } }', {}, { token: tokens.tenant(current[0]) });
  expect(log.data.myAccessLog).toContainEqual({ role: 'builder', operation: 'query AuditProbeBuilder', fields: ['Dwelling.address'] });
});

test('the privacy officer reads the audit log filtered by tenant', async () => {
  const r = await t.gql('query($id: ID) { auditLog(tenantId: $id, first: 100) { edges { node { tenantIds actorSub hash } } } }', { id: fx.tenantId }, asStaff('PRIVACY'));
  expect(r.errors).toBeUndefined();
  expect(r.data.auditLog.edges.length).toBeGreaterThan(0);
  for (const { node } of r.data.auditLog.edges) expect(node.tenantIds).toContain(fx.tenantId);
});

test("the server checkpoints its chain's head outside the database, and a final time when it stops", async () => {
  const own = await startTestApp();
  let event: { chain: string; seq: string; hash: string };
  try {
    const r = await own.gql('query AuditProbeCheckpoint($id: ID!) { tenant(id: $id) { email } }', { id: fx.tenantId }, asStaff('PRIVACY'));
    expect(r.data.tenant.email).toContain('@');
    [event] = await t.dataSource.query(`SELECT chain, seq, hash FROM audit_event WHERE operation = 'query AuditProbeCheckpoint' ORDER BY id DESC LIMIT 1`);
  } finally {
    await own.close();
  }
  const file = join(config.audit.checkpointDir, `${encodeURIComponent(event.chain)}.jsonl`);
  expect(await readdir(config.audit.checkpointDir)).toContain(`${encodeURIComponent(event.chain)}.jsonl`);
  const heads = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l)).filter((c) => c.kind === 'head');
  expect(heads.at(-1)).toMatchObject({ chain: event.chain, seq: Number(event.seq), hash: event.hash, sig: expect.any(String) });
});

test('if the audit event cannot be written, no personal data is returned', async () => {
  const failing = await startTestApp({ auditSink: { append: () => Promise.reject(new Error('audit store down')) } });
  try {
    const [stored] = await t.dataSource.query('SELECT email FROM tenant WHERE id = $1', [fx.tenantId]);
    const r = await failing.gql('query($id: ID!) { tenant(id: $id) { email } }', { id: fx.tenantId }, asStaff('PRIVACY'));
    expect(r.status).toBe(503);
    expect(r.data).toBeUndefined();
    expect(codes(r)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(JSON.stringify(r.body)).not.toContain(stored.email);
    // Without personal data nothing needs auditing, so the same server still answers.
    const ok = await failing.gql('{ organizations { id } }', {}, asStaff('REPAIRS'));
    expect(ok.status).toBe(200);
    expect(ok.data.organizations.length).toBeGreaterThan(0);
  } finally {
    await failing.close();
  }
});

test('a response is serialised while its event is stored, and held until the event is; the request itself can be collected meanwhile', async () => {
  // The trail is part of the request's context: if it can be collected, so can the context, its
  // rows and the result (only the serialised response is needed until the event is stored).
  const trails: WeakRef<AuditTrail>[] = [];
  // Not jest.spyOn: a mock keeps every `this` it was called on.
  const record = AuditTrail.prototype.record;
  AuditTrail.prototype.record = function (this: AuditTrail, ...args: Parameters<AuditTrail['record']>) {
    if (!trails.length) trails.push(new WeakRef(this));
    return record.apply(this, args);
  };
  let handedIn!: () => void;
  const eventHandedIn = new Promise<void>((resolve) => (handedIn = resolve));
  let store!: () => void;
  const held = await startTestApp({
    auditSink: {
      append: () => {
        handedIn();
        return new Promise<void>((resolve) => (store = resolve));
      },
    },
  });
  try {
    let answered = false;
    const answer = held.gql('query($id: ID!) { tenant(id: $id) { email } }', { id: fx.tenantId }, asStaff('PRIVACY')).then((r) => {
      answered = true;
      return r;
    });
    await eventHandedIn;
    // Time enough for a response that did not wait to arrive.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(false);
    expect(trails).toHaveLength(1);
    collectGarbage();
    expect(trails[0].deref()).toBeUndefined();
    store();
    const r = await answer;
    expect(r.status).toBe(200);
    expect(r.data.tenant.email).toContain('@');
  } finally {
    AuditTrail.prototype.record = record;
    store?.();
    await held.close();
  }
});

test.each([
  ['rejects', () => Promise.reject(new Error('audit store down'))],
  ['throws', () => { throw new Error('audit store down'); }],
])('without a transport that holds the response, the plugin waits itself and fails closed (a sink that %s)', async (_how, append) => {
  const hooks = await auditPlugin({ append }).requestDidStart!({} as never);
  const trail = new AuditTrail();
  trail.record(0, fx.tenantId);
  const response: any = { body: { kind: 'single', singleResult: { data: { tenant: { email: 'x@example.nl' } } } }, http: { status: undefined } };
  const viewer = { sub: 'employee-1', role: 'staff', purpose: 'PRIVACY' };
  await (hooks as any).willSendResponse({ contextValue: { audit: trail, viewer, requestId: 'req-1' }, response, operationName: 'Q' });
  expect(response.http.status).toBe(503);
  expect(response.body.singleResult).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'SERVICE_UNAVAILABLE', requestId: 'req-1' } }] });
});

describe('the hash chain', () => {
  const record = (n: number) => ({
    actorSub: `chain-test-${n}`, role: 'staff', orgId: null, purpose: 'PRIVACY',
    operation: 'query ChainTest', tenantIds: [fx.tenantId], fields: ['Tenant.email'],
  });

  test('the hash is computed as the stored chains were: a change of its canonical form breaks them', () => {
    // Hashes of these two events as written by the first writer (JSON.stringify of the whole
    // canonical array); the writer now serialises a record's part when the request hands it in.
    const event = {
      chain: 'host-1-abcd', seq: 42, at: '2026-11-24T10:00:00.000Z', actorSub: 'emp-7', role: 'staff', orgId: null,
      purpose: 'LETTING', operation: 'query TenantList',
      tenantIds: ['b2c0f5c4-3a1e-4c55-9a53-8f6f1d2e3a4b', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'],
      fields: ['Tenant.phone', 'Tenant.email'], prevHash: 'f'.repeat(64),
    };
    expect(hashEvent(event)).toBe('002b16629be300acab6a5867024ab278e61a392a8fc41ee3bf42c00611cb82be');
    const anchored = { ...event, orgId: '7d3e0a51-1111-4222-8333-944455566677', prevHash: null, operation: 'mutation "x"' };
    expect(hashEvent(anchored)).toBe('e5176098c32953b486f4dcfb87d1930f8e705f15f77874b40c2eb85c5f2a0b08');
    // Lists are hashed sorted: the order in which fields were read does not matter.
    expect(hashEvent({ ...event, tenantIds: [...event.tenantIds].reverse(), fields: [...event.fields].reverse() })).toBe(hashEvent(event));
  });

  // Each writer holds its own connection.
  const writers: ChainedAuditWriter[] = [];
  const inserts = new Map<ChainedAuditWriter, number>();
  const newWriter = (chain: string) => {
    const writer: ChainedAuditWriter = new ChainedAuditWriter(t.dataSource, { chain: `${chain}-${Date.now()}`, onInsert: () => inserts.set(writer, (inserts.get(writer) ?? 0) + 1) });
    writers.push(writer);
    return writer;
  };
  afterAll(() => Promise.all(writers.map((w) => w.close())));

  test('concurrent appends form one intact chain, in fewer statements than events', async () => {
    const writer = newWriter('test-concurrent');
    await Promise.all(Array.from({ length: 40 }, (_, i) => writer.append(record(i))));
    const rows = await t.dataSource.query('SELECT seq FROM audit_event WHERE chain = $1 ORDER BY seq', [writer.chain]);
    expect(rows.map((r: any) => Number(r.seq))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(inserts.get(writer) ?? 0).toBeLessThan(40);
    expect((await verifyAuditChains(t.dataSource)).broken).toBeNull();
  });

  test('values that need escaping are stored as given and the chain verifies', async () => {
    const writer = newWriter('test-escaping');
    const odd = { ...record(0), actorSub: 'sub "quoted" \\ back\nslash – ü', operation: 'query Q{"x"}', orgId: null };
    await writer.append(odd);
    const [row] = await t.dataSource.query('SELECT actor_sub, operation, tenant_ids FROM audit_event WHERE chain = $1', [writer.chain]);
    expect(row).toEqual({ actor_sub: odd.actorSub, operation: odd.operation, tenant_ids: [fx.tenantId] });
    expect((await verifyAuditChains(t.dataSource)).broken).toBeNull();
  });

  test('an event is stored while every read connection is taken: the writer has its own', async () => {
    const poolSize = (t.dataSource.driver as unknown as { master: { options: { max: number } } }).master.options.max;
    const held = await Promise.all(Array.from({ length: poolSize }, async () => {
      const runner = t.dataSource.createQueryRunner();
      await runner.connect();
      return runner;
    }));
    try {
      const writer = newWriter('test-own-connection');
      await writer.append(record(0));
      const [{ n }] = await held[0].query('SELECT count(*)::int AS n FROM audit_event WHERE chain = $1', [writer.chain]);
      expect(n).toBe(1);
    } finally {
      await Promise.all(held.map((runner) => runner.release()));
    }
  });

  test('the database refuses to edit or delete an event', async () => {
    await expect(t.dataSource.query(`UPDATE audit_event SET role = 'x' WHERE id = (SELECT max(id) FROM audit_event)`)).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query('DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)')).rejects.toThrow(/append-only/);
  });

  /**
   * Tampering as a superuser would: with triggers off for one transaction only. On the embedded
   * database every connection shares one session, so a session-wide setting would also switch off
   * the triggers of the server's own audit writes running meanwhile.
   */
  async function tamper(sql: string, params: unknown[]) {
    await t.dataSource.transaction(async (m) => {
      await m.query('SET LOCAL session_replication_role = replica');
      await m.query(sql, params);
    });
  }

  test('an edited event and a deleted event are caught and named', async () => {
    const writer = newWriter('test-tamper');
    for (let i = 0; i < 4; i++) await writer.append(record(i));
    const rows = await t.dataSource.query('SELECT * FROM audit_event WHERE chain = $1 ORDER BY seq', [writer.chain]);
    const second = rows[1];

    await tamper('UPDATE audit_event SET fields = $2 WHERE id = $1', [second.id, ['Tenant.firstName']]);
    let result = await verifyAuditChains(t.dataSource);
    expect(result.broken).toMatchObject({ id: String(second.id), chain: writer.chain, seq: 2 });
    expect(result.broken!.reason).toMatch(/edited/);
    await tamper('UPDATE audit_event SET fields = $2 WHERE id = $1', [second.id, second.fields]);
    expect((await verifyAuditChains(t.dataSource)).broken).toBeNull();

    await tamper('DELETE FROM audit_event WHERE id = $1', [second.id]);
    result = await verifyAuditChains(t.dataSource);
    expect(result.broken).toMatchObject({ chain: writer.chain, seq: 3 });
    expect(result.broken!.reason).toMatch(/missing/);
    await tamper(
      `INSERT INTO audit_event (id, chain, seq, at, actor_sub, role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
      [second.id, second.chain, second.seq, second.at, second.actor_sub, second.role, second.org_id, second.purpose,
        second.operation, second.tenant_ids, second.fields, second.prev_hash, second.hash],
    );
    expect((await verifyAuditChains(t.dataSource)).broken).toBeNull();
  });
});

describe('group commit', () => {
  const record = (n: number) => ({
    actorSub: `gather-test-${n}`, role: 'staff', orgId: null, purpose: 'PRIVACY',
    operation: 'query GatherTest', tenantIds: [fx.tenantId], fields: ['Tenant.email'],
  });
  const writers: ChainedAuditWriter[] = [];
  const inserts = new Map<ChainedAuditWriter, number>();
  /** A writer that would wait a minute for others' events: a test that waits for the bound times out. */
  const newWriter = (running: () => number, gatherMs = 60_000) => {
    const writer: ChainedAuditWriter = new ChainedAuditWriter(t.dataSource, {
      chain: `test-gather-${writers.length}-${Date.now()}`, gatherMs, onInsert: () => inserts.set(writer, (inserts.get(writer) ?? 0) + 1),
    });
    writer.watchRequests(running);
    writers.push(writer);
    return writer;
  };
  afterAll(() => Promise.all(writers.map((w) => w.close())));
  const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 5));

  test('while other requests run, an event waits for theirs and they share one INSERT', async () => {
    const writer = newWriter(() => 3);
    const appended: Promise<void>[] = [];
    for (let i = 0; i < 3; i++) {
      appended.push(writer.append(record(i)));
      await nextTurn(); // each request finishes in a later turn of the event loop
    }
    await Promise.all(appended);
    expect(inserts.get(writer) ?? 0).toBe(1);
  });

  test('an event of a request running alone is written at once', async () => {
    const writer = newWriter(() => 1);
    await writer.append(record(0));
    await writer.append(record(1));
    expect(inserts.get(writer) ?? 0).toBe(2);
  });

  test('a request that never hands in an event (no personal data) delays the others by the bound only', async () => {
    const writer = newWriter(() => 2, 20);
    await writer.append(record(0));
    expect(inserts.get(writer) ?? 0).toBe(1);
  });

  test('the server counts its GraphQL requests running, whatever their outcome', async () => {
    const seen: number[] = [];
    let running = () => -1;
    const app = await startTestApp({
      auditSink: { watchRequests: (r) => { running = r; }, append: async () => { seen.push(running()); } },
    });
    try {
      const ok = await app.gql('query($id: ID!) { tenant(id: $id) { email } }', { id: fx.tenantId }, asStaff('PRIVACY'));
      expect(ok.data.tenant.email).toContain('@');
      expect(seen).toEqual([1]);
      expect((await app.gql('{ tenant(', {}, asStaff('PRIVACY'))).status).toBe(400);
      expect((await app.gql('{ tenants(first: 1) { edges { node { iban } } } }', {}, asStaff('REPAIRS'))).status).toBe(200);
      expect(running()).toBe(0);
    } finally {
      await app.close();
    }
  });
});
