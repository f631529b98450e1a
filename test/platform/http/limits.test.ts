import { fetchJson } from '../../support/fetch-json';
/**
 * Query limits (graphql-armor and the parser's token limit), the body limit, batching, CSRF, GET
 * mutations, and introspection/suggestions by environment. Every client operation stays within the
 * limits with headroom; abuse is refused with a 400 and a message naming the limit.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, Lexer, parse, Source, TokenKind, validate } from 'graphql';
import { Measure as Measured, QUERY_LIMITS, queryProtection } from '../../../src/platform/http/armor';
import { App, startServer } from '../../../src/app/server';
import { clientOperation, clientOperationNames } from '../../support/client-operations';
import { productionConfig, startTestApp, TestApp, tokens } from '../../support/app';
import { findFixtures } from '../../support/fixtures';

const schema = buildSchema(readFileSync(resolve(__dirname, '../../../schema.graphql'), 'utf8'));
const operations = [...clientOperationNames('query'), ...clientOperationNames('mutation')].map(({ file, name }) => ({
  file,
  name,
  source: clientOperation(file, name),
}));

interface Measure {
  depth: number;
  cost: number;
  aliases: number;
  directives: number;
  tokens: number;
}

/** The server's own rules with no limit: what each client operation weighs. */
function measure(source: string): Measure {
  const m: Partial<Measure> = {};
  const unlimited = { maxDepth: Infinity, maxCost: Infinity, maxAliases: Infinity, maxDirectives: Infinity, maxTokens: Infinity };
  const rules = queryProtection({ production: true, limits: unlimited, onAccept: (key: Measured, n) => (m[key] = n) }).validationRules;
  expect(validate(schema, parse(source), rules)).toEqual([]);
  return { ...(m as Measure), tokens: tokenCount(source) };
}

/** Tokens as the parser counts them for its `maxTokens` limit (every token but <SOF> and <EOF>). */
function tokenCount(source: string): number {
  const lexer = new Lexer(new Source(source));
  let n = 0;
  while (lexer.advance().kind !== TokenKind.EOF) n++;
  return n;
}

describe('client operations against the limits', () => {
  const measured = operations.map((op) => ({ name: op.name, ...measure(op.source) }));
  const max = (key: keyof Measure) => Math.max(...measured.map((m) => m[key]));

  test('every operation was measured', () => {
    expect(measured.length).toBeGreaterThanOrEqual(20);
  });

  test('each stays within every limit, with headroom', () => {
    // Headroom: two levels of depth, at least twice the cost, room for aliases and directives.
    expect(max('depth')).toBeLessThanOrEqual(QUERY_LIMITS.maxDepth - 2);
    expect(max('cost') * 2).toBeLessThanOrEqual(QUERY_LIMITS.maxCost);
    expect(max('aliases') + 10).toBeLessThanOrEqual(QUERY_LIMITS.maxAliases);
    expect(max('directives') + 5).toBeLessThanOrEqual(QUERY_LIMITS.maxDirectives);
    expect(max('tokens') * 4).toBeLessThanOrEqual(QUERY_LIMITS.maxTokens);
  });

  test('the measures armor.ts documents are the current ones', () => {
    const by = Object.fromEntries(measured.map((m) => [m.name, m]));
    expect(max('depth')).toBe(8);
    expect(by.OpenWorkOrders.depth).toBe(8);
    expect(by.TenantDetail.cost).toBeCloseTo(249.3, 1);
    expect(max('cost')).toBe(by.TenantDetail.cost);
    expect(max('tokens')).toBe(by.TenantDetail.tokens);
  });

  test("each passes the server's own rules and parser limit", () => {
    const protection = queryProtection({ production: true });
    for (const op of operations) {
      const doc = parse(op.source, protection.parseOptions);
      expect({ name: op.name, errors: validate(schema, doc, protection.validationRules).map((e) => e.message) }).toEqual({ name: op.name, errors: [] });
    }
  });
});

let t: TestApp;
let tenantToken: string;
beforeAll(async () => {
  t = await startTestApp();
  tenantToken = tokens.tenant((await findFixtures(t.dataSource)).tenantId);
});
afterAll(() => t?.close());

async function post(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetchJson(t.app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tenantToken}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }, 'text');
  return { status: res.status, headers: res.headers, body: res.body };
}

/** A refusal: 400, no data, an error naming the limit; every error with the code and the request id. */
function expectRefused(res: { status: number; headers: Headers; body: any }, code: string, message: RegExp): void {
  expect(res.status).toBe(400);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors.map((e: any) => e.message)).toContainEqual(expect.stringMatching(message));
  for (const error of res.body.errors) expect(error.extensions).toEqual({ code, requestId: res.headers.get('x-request-id') });
}

describe('abuse is refused before execution', () => {
  test('deep nesting', async () => {
    let selection = 'id';
    for (let i = 0; i < 6; i++) selection = `workOrders { tenant { ${selection} } }`;
    const res = await post({ query: `{ myProfile { ${selection} } }` });
    expectRefused(res, 'GRAPHQL_VALIDATION_FAILED', new RegExp(`depth limit of ${QUERY_LIMITS.maxDepth} exceeded, found 14`));
  });

  test('one level past the limit is refused, the limit itself passes validation', async () => {
    // myProfile { workOrders { tenant { … } } }: depth 1 + 2 per pair + 1 for the leaf.
    const nested = (pairs: number) => {
      let s = 'id';
      for (let i = 0; i < pairs; i++) s = `workOrders { tenant { ${s} } }`;
      return `{ myProfile { ${s} } }`;
    };
    const within = await post({ query: nested(4) }); // depth 10
    expect(within.status).toBe(200);
    expect((within.body.errors ?? []).map((e: any) => e.extensions.code)).not.toContain('GRAPHQL_VALIDATION_FAILED');
    const past = await post({ query: `{ myProfile { workOrders { tenant { workOrders { tenant { workOrders { tenant { workOrders { tenant { workOrders { id } } } } } } } } } } }` }); // 11
    expectRefused(past, 'GRAPHQL_VALIDATION_FAILED', /depth limit of 10 exceeded, found 11/);
  });

  test('100 aliases', async () => {
    const aliases = Array.from({ length: 100 }, (_, i) => `a${i}: privacyStatement { version }`).join(' ');
    const res = await post({ query: `{ ${aliases} }` });
    expectRefused(res, 'GRAPHQL_VALIDATION_FAILED', new RegExp(`Aliases limit of ${QUERY_LIMITS.maxAliases} exceeded, found 100`));
  });

  test('many directives', async () => {
    const fields = Array.from({ length: 50 }, () => 'version @include(if: true)').join(' ');
    const res = await post({ query: `{ privacyStatement { ${fields} } }` });
    expectRefused(res, 'GRAPHQL_VALIDATION_FAILED', new RegExp(`Directives limit of ${QUERY_LIMITS.maxDirectives} exceeded, found 50`));
  });

  test('a huge token count (well below the body limit)', async () => {
    const fields = Array.from({ length: 5000 }, () => 'version').join(' ');
    const res = await post({ query: `{ privacyStatement { ${fields} } }` });
    expectRefused(res, 'GRAPHQL_PARSE_FAILED', new RegExp(`Document contains more that ${QUERY_LIMITS.maxTokens} tokens`));
  });

  test('a cost bomb: within depth and aliases, every nested list fanned out', async () => {
    const address = 'address { street houseNumber postalCode city }';
    const query = `{ tenants(first: 100) { edges { node {
      id firstName lastName email phone iban dateOfBirth status registeredAt
      leases { id startDate endDate monthlyRent dwelling { id ${address} } }
      workOrders { id description status createdAt contractor { id name kind } dwelling { id ${address} }
        tenant { id firstName lastName leases { id dwelling { ${address} } } } }
      arrearsCases { id amountDue since status lease { id monthlyRent dwelling { ${address} } } bailiff { id name } tenant { id firstName lastName } }
      nuisanceCases { id description status reportedBy { id firstName lastName phone leases { id dwelling { ${address} } } } }
    } } } }`;
    const res = await post({ query });
    expectRefused(res, 'GRAPHQL_VALIDATION_FAILED', new RegExp(`Query Cost limit of ${QUERY_LIMITS.maxCost} exceeded, found \\d+`));
    expect(res.body.errors.map((e: any) => e.message).join()).not.toMatch(/depth|Aliases/);
  });

  test('cost is structural: a literal page size costs what the same page size as a variable does', async () => {
    const cost = (source: string) => {
      let found = NaN;
      const { validationRules } = queryProtection({
        production: false,
        limits: { ...QUERY_LIMITS, maxCost: Infinity },
        onAccept: (measure, n) => {
          if (measure === 'cost') found = n;
        },
      });
      expect(validate(schema, parse(source), validationRules)).toEqual([]);
      return found;
    };
    expect(cost('{ tenants(first: 100) { edges { node { id } } } }')).toBe(cost('query($n: Int) { tenants(first: $n) { edges { node { id } } } }'));
    const page = await post({ query: '{ tenants(first: 100) { edges { node { id status registeredAt } } } }' }, { authorization: `Bearer ${tokens.staff('LETTING')}`, 'x-purpose': 'LETTING' });
    expect(page.status).toBe(200);
    expect(page.body.errors).toBeUndefined();
    expect(page.body.data.tenants.edges).toHaveLength(100);
  });

  test('an ordinary syntax error stays a 400 parse failure', async () => {
    const res = await post({ query: '{ privacyStatement { version ' });
    expectRefused(res, 'GRAPHQL_PARSE_FAILED', /^Syntax Error/);
  });
});

describe('HTTP limits', () => {
  test('a 5 MB body is a 413, answered quickly, and the server keeps serving', async () => {
    const started = Date.now();
    const res = await post({ query: '{ __typename }', variables: { pad: 'x'.repeat(5 * 1024 * 1024) } });
    expect(res.status).toBe(413);
    expect(res.body.errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', requestId: res.headers.get('x-request-id') });
    expect(Date.now() - started).toBeLessThan(5000);
    const after = await post({ query: '{ __typename }' });
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ data: { __typename: 'Query' } });
  });

  test('a 5 MB body sent in chunks without a content-length is a 413 too', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 5 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(t.app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    await res.text();
    expect((await post({ query: '{ __typename }' })).status).toBe(200);
  });

  test('array batching is refused with 400', async () => {
    const res = await post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/batching/i);
    expect(res.body.errors[0].extensions).toEqual({ code: 'BAD_REQUEST', requestId: res.headers.get('x-request-id') });
  });
});

describe('CSRF prevention and GET', () => {
  const getUrl = (query: string) => `${t.app.url}?query=${encodeURIComponent(query)}`;

  test('a GET query without a preflight header is refused as a possible CSRF', async () => {
    const res = await fetch(getUrl('{ __typename }'));
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.errors[0].message).toMatch(/Cross-Site Request Forgery/);
    expect(body.errors[0].extensions).toEqual({ code: 'BAD_REQUEST', requestId: res.headers.get('x-request-id') });
  });

  test('a GET query with apollo-require-preflight is served', async () => {
    const res = await fetch(getUrl('{ __typename }'), { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });

  test('a simple POST (text/plain) is refused as a possible CSRF', async () => {
    const res = await post({ query: '{ __typename }' }, { 'content-type': 'text/plain' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/Cross-Site Request Forgery/);
  });

  test('a mutation over GET is refused with 405 and Allow: POST', async () => {
    const res = await fetch(getUrl('mutation { requestErasure { id } }'), {
      headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${tenantToken}` },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const body = (await res.json()) as any;
    expect(body.errors[0].message).toMatch(/GET requests only support query operations, not mutation operations/);
    expect(body.errors[0].extensions.requestId).toBe(res.headers.get('x-request-id'));
  });
});

describe('introspection and field suggestions by environment', () => {
  const introspection = '{ __schema { queryType { name } } }';
  const misspelt = '{ privacyStatement { versoin } }';

  test('development: introspection on, suggestions shown', async () => {
    const res = await post({ query: introspection });
    expect(res.status).toBe(200);
    expect(res.body.data.__schema.queryType.name).toBe('Query');
    const typo = await post({ query: misspelt });
    expect(typo.status).toBe(400);
    expect(typo.body.errors[0].message).toMatch(/Did you mean "version"\?/);
  });

  describe('production', () => {
    let prod: App;
    beforeAll(async () => {
      prod = await startServer(productionConfig({ TRUSTED_DOCUMENTS: 'off' }), t.dataSource, { preHandlers: [] });
    });
    afterAll(() => prod?.stop());
    const send = async (query: string) => {
      const res = await fetch(prod.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      return { status: res.status, body: (await res.json()) as any };
    };

    test('introspection is refused', async () => {
      const res = await send(introspection);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toMatch(/introspection is not allowed/i);
      expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    test('no field suggestion names the schema', async () => {
      const res = await send(misspelt);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).not.toMatch(/Did you mean|"version"/);
    });

    test('the limits hold there too, and a public query is served', async () => {
      const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: __typename`).join(' ');
      expect((await send(`{ ${aliases} }`)).status).toBe(200); // __typename aliases are allowed
      const many = Array.from({ length: 20 }, (_, i) => `a${i}: privacyStatement { version }`).join(' ');
      expect((await send(`{ ${many} }`)).status).toBe(400);
      expect((await send('{ privacyStatement { version } }')).status).toBe(200);
    });
  });
});
