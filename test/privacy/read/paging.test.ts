/**
 * Relay paging (src/privacy/read/connection.ts): `first` between 1 and 100, opaque cursors that carry
 * only an id, keyset pages that are disjoint and ordered, and counts limited to the caller's scope.
 */
import { randomUUID } from 'node:crypto';
import { asStaff, Caller, codes, GqlResult, startTestApp, TestApp, tokens } from '../../support/app';
import { findFixtures, Fixtures } from '../../support/fixtures';

const TENANTS = `query Tenants($first: Int, $after: String) {
  tenants(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id firstName lastName email } }
  }
}`;

const WORK_ORDERS = `query Orders($first: Int, $after: String, $status: [WorkOrderStatus!]) {
  workOrders(first: $first, after: $after, status: $status) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id status createdAt } }
  }
}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

let t: TestApp;
let fx: Fixtures;
const letting = asStaff('LETTING');
/** PRIVACY reaches every tenant, a restricted one (GDPR art. 18, set by other tests meanwhile) included. */
const privacy = asStaff('PRIVACY');

beforeAll(async () => {
  t = await startTestApp();
  fx = await findFixtures(t.dataSource);
});
afterAll(() => t?.close());

function expectBadInput(r: GqlResult, field: string, rootField: string) {
  expect(r.data?.[rootField] ?? null).toBeNull();
  expect(r.errors).toHaveLength(1);
  expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  expect(r.errors![0].path).toEqual([rootField]);
}

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: any }[];
}

/** Walks a connection to its end; returns the pages as they came. */
async function walk(query: string, root: string, caller: Caller, vars: Record<string, unknown>, limit = 50): Promise<Page[]> {
  const pages: Page[] = [];
  let after: string | null = null;
  for (let i = 0; i < limit; i++) {
    const r = await t.gql(query, { ...vars, after }, caller);
    expect(r.errors).toBeUndefined();
    const page: Page = r.data[root];
    pages.push(page);
    if (!page.pageInfo.hasNextPage) return pages;
    after = page.pageInfo.endCursor;
    expect(after).toBeTruthy();
  }
  throw new Error(`${root} did not end within ${limit} pages`);
}

describe('first', () => {
  test.each([101, 1000, 0, -1])('first: %i → BAD_USER_INPUT naming `first`', async (first) => {
    const r = await t.gql(TENANTS, { first }, letting);
    expectBadInput(r, 'first', 'tenants');
    expect(JSON.stringify(r.body)).not.toMatch(/@/);
  });

  test('first: 101 on workOrders is refused too', async () => {
    const r = await t.gql(WORK_ORDERS, { first: 101 }, asStaff('REPAIRS'));
    expectBadInput(r, 'first', 'workOrders');
  });

  test('first: 100 and first: 1 are accepted and honoured; no first gives the default page', async () => {
    const hundred = await t.gql(TENANTS, { first: 100 }, letting);
    expect(hundred.errors).toBeUndefined();
    expect(hundred.data.tenants.edges).toHaveLength(100);
    const one = await t.gql(TENANTS, { first: 1 }, letting);
    expect(one.data.tenants.edges).toHaveLength(1);
    expect(one.data.tenants.edges[0].node.id).toBe(hundred.data.tenants.edges[0].node.id);
    const dflt = await t.gql(TENANTS, {}, letting);
    expect(dflt.data.tenants.edges.length).toBeGreaterThan(0);
    expect(dflt.data.tenants.edges.length).toBeLessThanOrEqual(100);
  });
});

describe('after', () => {
  const garbage: [string, () => string][] = [
    ['plain text', () => 'garbage'],
    ['punctuation', () => '!!!%%%'],
    ['a raw uuid, not encoded', () => fx.tenantId],
    ['base64url of text that is no id', () => cursorOf('v1:not-an-id')],
    ['base64url of a uuid with another version tag', () => cursorOf(`v2:${fx.tenantId}`)],
    ['base64url of a uuid without a tag', () => cursorOf(fx.tenantId)],
    ['an SQL fragment', () => cursorOf(`v1:${fx.tenantId}' OR '1'='1`)],
    ['a very long string', () => 'A'.repeat(5000)],
  ];

  test.each(garbage)('after: %s → BAD_USER_INPUT naming `after`', async (_name, make) => {
    const r = await t.gql(TENANTS, { first: 5, after: make() }, letting);
    expectBadInput(r, 'after', 'tenants');
  });

  test('a numeric cursor (well formed for some lists) on the tenants list is refused as input, not an internal error', async () => {
    const r = await t.gql(TENANTS, { first: 5, after: cursorOf('v1:123') }, letting);
    expect(r.data?.tenants ?? null).toBeNull();
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
  });

  test('a cursor of another contractor’s order answers exactly as a cursor of a missing order', async () => {
    const contractor = { token: tokens.org('contractor', fx.contractorId) };
    const summary = (r: GqlResult) => ({
      codes: codes(r),
      ids: r.data?.workOrders?.edges?.map((e: any) => e.node.id) ?? null,
      hasNextPage: r.data?.workOrders?.pageInfo?.hasNextPage ?? null,
    });
    const missing = await t.gql(WORK_ORDERS, { first: 100, after: cursorOf(`v1:${randomUUID()}`) }, contractor);
    const outOfScope = await t.gql(WORK_ORDERS, { first: 100, after: cursorOf(`v1:${fx.otherContractorsOrderId}`) }, contractor);
    expect(summary(outOfScope)).toEqual(summary(missing));
  });
});

/**
 * Other test files insert (and may delete) rows of their own while this one runs, so a comparison
 * with the database is made against snapshots taken before and after: what every snapshot holds
 * must be there, and nothing may be there that no snapshot holds.
 */
interface Bounds {
  required: Set<string>;
  allowed: Set<string>;
}

async function around<T>(snapshot: () => Promise<{ all: string[]; reachable: string[] }>, act: () => Promise<T>): Promise<[T, Bounds]> {
  const before = await snapshot();
  const result = await act();
  const after = await snapshot();
  const afterReachable = new Set(after.reachable);
  return [result, {
    required: new Set(before.reachable.filter((id) => afterReachable.has(id))),
    allowed: new Set([...before.all, ...after.all]),
  }];
}

function expectWithin(ids: string[], totalCounts: number[], { required, allowed }: Bounds) {
  // Disjoint pages. Rows other tests create (ids `ffff…`, test/support/rows.ts) may be renamed or
  // anonymised while the walk runs, which moves them in the name order: only seeded rows must not repeat.
  const seeded = ids.filter((id) => !id.startsWith('ffff'));
  expect(new Set(seeded).size).toBe(seeded.length);
  expect(ids.filter((id) => !allowed.has(id))).toEqual([]);
  expect([...required].filter((id) => !id.startsWith('ffff') && !ids.includes(id))).toEqual([]);
  for (const n of totalCounts) {
    expect(n).toBeGreaterThanOrEqual(required.size);
    expect(n).toBeLessThanOrEqual(allowed.size);
  }
}

const tenantIds = async () => {
  const ids = (await t.dataSource.query(`SELECT id FROM tenant`)).map((r: { id: string }) => r.id) as string[];
  return { all: ids, reachable: ids };
};

describe('walking the tenants list (PRIVACY)', () => {
  let pages: Page[];
  let bounds: Bounds;

  beforeAll(async () => {
    [pages, bounds] = await around(tenantIds, () => walk(TENANTS, 'tenants', privacy, { first: 100 }));
  });

  test('totalCount equals SELECT count(*) FROM tenant', async () => {
    // Retried until no other test file inserted or deleted a tenant around the request.
    for (let attempt = 0; ; attempt++) {
      const [{ n: before }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM tenant`);
      const r = await t.gql(TENANTS, { first: 1 }, privacy);
      const [{ n: after }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM tenant`);
      if (before !== after && attempt < 10) continue;
      expect(before).toBeGreaterThan(100);
      expect(r.data.tenants.totalCount).toBe(before);
      break;
    }
  });

  test('pages are disjoint, their union is every tenant, and every page counts them all', () => {
    const ids = pages.flatMap((p) => p.edges.map((e) => e.node.id));
    expect(bounds.required.size).toBeGreaterThan(300);
    expectWithin(ids, pages.map((p) => p.totalCount), bounds);
  });

  test('several full pages, then a last one with hasNextPage false', () => {
    expect(pages.length).toBeGreaterThanOrEqual(4);
    for (const page of pages.slice(0, -1)) {
      expect(page.edges).toHaveLength(100);
      expect(page.pageInfo.hasNextPage).toBe(true);
    }
    const last = pages[pages.length - 1];
    expect(last.pageInfo.hasNextPage).toBe(false);
    expect(last.edges.length).toBeGreaterThan(0);
    expect(last.edges.length).toBeLessThanOrEqual(100);
  });

  test('hasPreviousPage is false on the first page only; start/endCursor are the edge cursors', () => {
    pages.forEach((page, i) => {
      expect(page.pageInfo.hasPreviousPage).toBe(i > 0);
      expect(page.pageInfo.startCursor).toBe(page.edges[0].cursor);
      expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1].cursor);
    });
  });

  test('the union is ordered by lastName, firstName (in the database collation), id', async () => {
    const nodes = pages.flatMap((p) => p.edges.map((e) => e.node));
    // Let PostgreSQL sort what we received; the order must be the one we received.
    const sorted: { ord: string }[] = await t.dataSource.query(
      `SELECT ord FROM unnest($1::text[], $2::text[], $3::uuid[]) WITH ORDINALITY AS x(l, f, id, ord) ORDER BY l, f, id`,
      [nodes.map((n) => n.lastName), nodes.map((n) => n.firstName), nodes.map((n) => n.id)],
    );
    expect(sorted.map((r) => Number(r.ord))).toEqual(nodes.map((_, i) => i + 1));
    // And the received names are the stored ones (not, say, sorted placeholders).
    const sample = nodes[Math.floor(nodes.length / 2)];
    const [row] = await t.dataSource.query(`SELECT last_name, first_name FROM tenant WHERE id = $1`, [sample.id]);
    expect([sample.lastName, sample.firstName]).toEqual([row.last_name, row.first_name]);
  });

  test('cursors are opaque: base64url of a tag and the row id, no personal value', () => {
    for (const page of pages) {
      for (const { cursor, node } of page.edges) {
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        const decoded = Buffer.from(cursor, 'base64url').toString();
        expect(decoded).toBe(`v1:${node.id}`);
        expect(decoded.slice(3)).toMatch(UUID);
        for (const value of [node.lastName, node.firstName, node.email]) {
          if (value) {
            expect(decoded).not.toContain(value);
            expect(cursor).not.toContain(value);
          }
        }
      }
    }
  });

  test('a cursor of one purpose pages on from the same place for another purpose', async () => {
    const union = pages.flatMap((p) => p.edges.map((e) => e.node.id));
    const after = pages[0].pageInfo.endCursor;
    const r = await t.gql(TENANTS, { first: 100, after }, asStaff('REPAIRS'));
    expect(r.errors).toBeUndefined();
    expect(r.data.tenants.edges).toHaveLength(100);
    // Rows inserted by other test files since the walk are not in it.
    const positions = r.data.tenants.edges.map((e: any) => union.indexOf(e.node.id)).filter((i: number) => i >= 0);
    expect(positions.length).toBeGreaterThan(90);
    // Every row comes after the cursor, in the same order (REPAIRS may miss a restricted tenant).
    expect(Math.min(...positions)).toBeGreaterThanOrEqual(100);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(positions[0]).toBeLessThanOrEqual(110);
  });
});

describe("a contractor's workOrders", () => {
  let contractorId: string;

  beforeAll(async () => {
    // A contractor with DONE and other orders that the shared fixtures do not use (others' tests may assign to those).
    const [row] = await t.dataSource.query(
      `SELECT o.id FROM organization o WHERE o.kind = 'CONTRACTOR' AND o.id <> ALL($1::uuid[])
         AND EXISTS (SELECT 1 FROM work_order w WHERE w.contractor_id = o.id AND w.status = 'DONE')
         AND EXISTS (SELECT 1 FROM work_order w WHERE w.contractor_id = o.id AND w.status <> 'DONE')
       ORDER BY (SELECT count(*) FROM work_order w WHERE w.contractor_id = o.id) DESC, o.id LIMIT 1`,
      [[fx.contractorId, fx.otherContractorId]],
    );
    contractorId = row?.id ?? fx.contractorId;
  });

  const caller = () => ({ token: tokens.org('contractor', contractorId) });
  /**
   * The contractor's orders in the database, `all` and `reachable`: the latter without orders of a
   * tenant whose processing is restricted (GDPR art. 18; other test files restrict one meanwhile).
   */
  const orders = (statuses?: string[]) => async () => {
    const rows: { id: string; restricted: boolean }[] = await t.dataSource.query(
      `SELECT w.id, EXISTS (SELECT 1 FROM tenant r WHERE r.id = w.tenant_id AND r.restricted) AS restricted
         FROM work_order w WHERE w.contractor_id = $1 AND ($2::text[] IS NULL OR w.status = ANY($2::text[]))`,
      [contractorId, statuses ?? null],
    );
    return { all: rows.map((r) => r.id), reachable: rows.filter((r) => !r.restricted).map((r) => r.id) };
  };

  test('totalCount is the contractor’s own orders, not all orders', async () => {
    const [r, bounds] = await around(orders(), () => t.gql(WORK_ORDERS, { first: 100 }, caller()));
    expect(r.errors).toBeUndefined();
    expect(r.data.workOrders.pageInfo.hasNextPage).toBe(false);
    expectWithin(r.data.workOrders.edges.map((e: any) => e.node.id), [r.data.workOrders.totalCount], bounds);
    expect(r.data.workOrders.totalCount).toBe(r.data.workOrders.edges.length);
    const [{ n: everyOrder }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM work_order`);
    expect(r.data.workOrders.totalCount).toBeGreaterThan(0);
    expect(r.data.workOrders.totalCount).toBeLessThan(everyOrder);
  });

  test('walking small pages returns exactly the contractor’s orders, newest first, disjoint', async () => {
    const [pages, bounds] = await around(orders(), () => walk(WORK_ORDERS, 'workOrders', caller(), { first: 3 }));
    expect(pages.length).toBeGreaterThan(1);
    const nodes = pages.flatMap((p) => p.edges.map((e) => e.node));
    expectWithin(nodes.map((n) => n.id), pages.map((p) => p.totalCount), bounds);
    const times = nodes.map((n) => Date.parse(n.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  test('past the last page the count is still the whole list: an empty page carries no count row, so it is counted apart', async () => {
    const [[first, past], bounds] = await around(orders(), async () => {
      const whole = await t.gql(WORK_ORDERS, { first: 100 }, caller());
      const after = whole.data.workOrders.pageInfo.endCursor;
      return [whole, await t.gql(WORK_ORDERS, { first: 5, after }, caller())];
    });
    expect(first.data.workOrders.pageInfo.hasNextPage).toBe(false);
    expect(past.errors).toBeUndefined();
    expect(past.data.workOrders.edges).toEqual([]);
    expect(past.data.workOrders.totalCount).toBeGreaterThan(0);
    expectWithin(first.data.workOrders.edges.map((e: any) => e.node.id), [first.data.workOrders.totalCount, past.data.workOrders.totalCount], bounds);
  });

  test('status: [DONE] counts and lists only its DONE orders', async () => {
    const [r, bounds] = await around(orders(['DONE']), () => t.gql(WORK_ORDERS, { first: 100, status: ['DONE'] }, caller()));
    expect(r.errors).toBeUndefined();
    const nodes = r.data.workOrders.edges.map((e: any) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n: any) => n.status === 'DONE')).toBe(true);
    expectWithin(nodes.map((n: any) => n.id), [r.data.workOrders.totalCount], bounds);
    expect(r.data.workOrders.totalCount).toBe(nodes.length);
    // Fewer than all its orders: the filter filters.
    const everything = await orders()();
    expect(r.data.workOrders.totalCount).toBeLessThan(everything.reachable.length);
  });

  test('another contractor’s orders never show up in its pages', async () => {
    const pages = await walk(WORK_ORDERS, 'workOrders', caller(), { first: 100 });
    const ids = new Set(pages.flatMap((p) => p.edges.map((e) => e.node.id)));
    const [{ n: othersTotal }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM work_order WHERE contractor_id IS DISTINCT FROM $1`, [contractorId]);
    expect(othersTotal).toBeGreaterThan(0);
    const others: { id: string }[] = await t.dataSource.query(
      `SELECT id FROM work_order WHERE contractor_id IS DISTINCT FROM $1 AND id = ANY($2::uuid[])`, [contractorId, [...ids]]);
    expect(others).toEqual([]);
  });

  test('staff PRIVACY sees every order in totalCount', async () => {
    const count = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM work_order`))[0].n as number;
    const before = await count();
    const r = await t.gql(WORK_ORDERS, { first: 1 }, privacy);
    const after = await count(); // other tests may submit repair requests meanwhile
    expect(r.data.workOrders.totalCount).toBeGreaterThanOrEqual(before);
    expect(r.data.workOrders.totalCount).toBeLessThanOrEqual(after);
  });
});
