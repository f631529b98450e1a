import { Client } from 'pg';
import { benchDatabase } from '../../scripts/bench/database';
import { combined, parseScaleOptions, replayCeiling } from '../../scripts/bench/scale';
import { ChainedAuditWriter } from '../../src/platform/audit/audit-writer';
import { PREPARE } from '../../src/platform/db/prepared-client';
import { openScratchDatabase, type ScratchDatabase } from '../support/scratch-db';

describe('bench --scale arguments', () => {
  test('the people, and concurrencies 1 and 10 by default', () => {
    const options = parseScaleOptions(['--scale', '1_000_000']);
    expect(options.people).toBe(1_000_000);
    expect(options.auditEvents).toBe(1_000_000);
    expect(parseScaleOptions(['--scale', '100000', '--audit-events', '10_000_000'])).toMatchObject({ people: 100_000, auditEvents: 10_000_000 });
    expect(options.connections).toEqual([1, 10]);
    expect(options.out).toMatch(/bench\/scale\.json$/);
    expect(parseScaleOptions(['--scale=10000', '--connections', '2,4', '--duration', '0.5', '--only', 'MyProfile,search']))
      .toMatchObject({ people: 10_000, connections: [2, 4], duration: 0.5, only: ['MyProfile', 'search'] });
    expect(options.workers).toBe(1);
    expect(parseScaleOptions(['--scale', '100', '--workers', '2']).workers).toBe(2);
  });

  test.each([[[]], [['--scale', '0']], [['--scale', '-5']], [['--scale', '1.5']], [['--scale', 'many']], [['--scale', '']],
    [['--scale', '100', '--connections', '1,x']], [['--scale', '100', '--duration', '0']], [['--scale', '100', '--peer']], [['--scale', '100', '--audit-events', '0']], [['--scale', '100', '--audit-events', '60000000']],
    [['--scale', '100', '--workers', '0']], [['--scale', '100', '--workers', '1.5']]])(
    'refuses %j', (argv) => {
      expect(() => parseScaleOptions(argv as string[])).toThrow();
    });
});

describe('the bench database follows DATABASE_URL', () => {
  test("its name is the URL's database with _bench, on the same server and credentials", () => {
    expect(benchDatabase('postgres://postgres@127.0.0.1:5432/test')).toEqual({ name: 'test_bench', url: 'postgres://postgres@127.0.0.1:5432/test_bench' });
    expect(benchDatabase('postgres://me:secret@db.example:6543/mijande?sslmode=require'))
      .toEqual({ name: 'mijande_bench', url: 'postgres://me:secret@db.example:6543/mijande_bench?sslmode=require' });
    // No database in the URL: PostgreSQL's default, the user's name.
    expect(benchDatabase('postgres://ops@127.0.0.1:5432').name).toBe('ops_bench');
  });

  test.each(['postgres://u@h/My-DB', 'postgres://u@h/x%3Bdrop', `postgres://u@h/${'a'.repeat(60)}`])('refuses a name it cannot splice in safely: %s', (url) => {
    expect(() => benchDatabase(url)).toThrow(/plain lower-case identifier/);
  });
});

describe('the ceiling replay', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await openScratchDatabase(false);
  });
  afterAll(async () => db?.close());

  test('runs the recorded statements, prepared and not, in a loop for as long as asked', async () => {
    const setup = new Client({ connectionString: db.url });
    await setup.connect();
    try {
      await setup.query('CREATE TABLE replayed (n int)');
      const ceiling = await replayCeiling(db.url, [
        { sql: `INSERT INTO replayed VALUES ($1)${PREPARE}`, params: [1] },
        { sql: 'INSERT INTO replayed VALUES ($1)', params: [2] },
      ], 2, 0.3);
      const [{ prepared, custom }] = (await setup.query(`SELECT count(*) FILTER (WHERE n = 1)::int AS prepared, count(*) FILTER (WHERE n = 2)::int AS custom FROM replayed`)).rows;
      expect(prepared).toBeGreaterThan(0);
      expect(custom).toBe(prepared);
      expect(ceiling.rps).toBeGreaterThan(0);
      expect(ceiling.rps * 0.3).toBeLessThanOrEqual(prepared + 2);
    } finally {
      await setup.end();
    }
  });

  test('with the audit, each round also stores its request\'s event through the writer, and the rounds wait for it', async () => {
    const writer = new ChainedAuditWriter(db.dataSource, { chain: 'ceiling-test', key: 'k'.repeat(32) });
    const event = { actorSub: 'bench', role: 'staff', orgId: null, purpose: 'LETTING', operation: 'query TenantList', tenantIds: [], fields: ['Tenant.firstName'] };
    try {
      const ceiling = await replayCeiling(db.url, [{ sql: 'SELECT 1', params: [] }], 3, 0.3, { writer, events: [event] });
      const [{ events, rounds }] = await db.dataSource.query(`SELECT count(*)::int AS events, max(seq)::int AS rounds FROM audit_event WHERE chain = 'ceiling-test'`);
      expect(events).toBeGreaterThan(0);
      expect(rounds).toBe(events);
      // Every round counted waited for its event: no more rounds than events stored.
      expect(Math.round(ceiling.rps * 0.3)).toBeLessThanOrEqual(events + 3);
    } finally {
      await writer.close();
    }
  });
});

describe('a run measured in alternating segments', () => {
  test('is put together by its requests over its time, its latencies from every segment', () => {
    const run = combined([
      { requests: 300, elapsed: 1, latencies: [5, 1, 3] },
      { requests: 100, elapsed: 1, latencies: [2, 40, 4] },
    ]);
    // Not the mean of the segments' rates (also 200 here) but total over total:
    expect(run.rps).toBe(200);
    expect(combined([{ requests: 300, elapsed: 1, latencies: [] }, { requests: 100, elapsed: 3, latencies: [] }]).rps).toBe(100);
    expect(run.latencies).toEqual([1, 2, 3, 4, 5, 40]);
    expect(run.p99Ms).toBe(40);
    expect(run.requests).toBe(400);
  });
});
