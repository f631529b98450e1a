/**
 * The GraphQL-over-HTTP spec audit of graphql-http against the running server: no MUST fails.
 * Its requests carry no token, so they run as the public (anonymous) caller.
 */
import { auditServer, AuditResult } from 'graphql-http';
import { startTestApp, TestApp } from '../../support/app';

let t: TestApp;
let results: AuditResult[];
beforeAll(async () => {
  t = await startTestApp(); // with the default pre-handlers (the rate limiter), as served
  results = await auditServer({ url: t.app.url, fetchFn: fetch });
});
afterAll(() => t?.close());

const summary = (r: AuditResult) => (r.status === 'ok' ? `${r.id} ${r.name}` : `${r.id} ${r.name}: ${r.reason}`);

test('the audit ran', () => {
  expect(results.length).toBeGreaterThan(20);
  expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThan(10);
});

test('no MUST requirement fails', () => {
  const failed = results.filter((r) => r.status === 'error' || (r.name.startsWith('MUST') && r.status !== 'ok'));
  expect(failed.map(summary)).toEqual([]);
});

/**
 * What does not pass, on purpose:
 * - GETs without a preflight header are refused by CSRF prevention (a GET from another site must not
 *   run an operation with the user's cookies or credentials), so the MAY audits of plain GETs fail;
 * - Apollo answers a parse, validation or variable-coercion failure with 400 whatever the Accept
 *   header; the spec prefers 200 for `application/json` (a SHOULD). A 400 is what our clients and
 *   the query limits rely on (an over-deep query is refused with 400).
 */
const KNOWN_GAPS: Record<string, string> = {
  '5A70': 'MAY accept application/x-www-form-urlencoded formatted GET requests',
  D6D5: 'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json',
  '6A70': 'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json',
  '572B': 'SHOULD use 200 status code on document parsing failure when accepting application/json',
  FDE2: 'SHOULD use 200 status code on document validation failure when accepting application/json',
  '7B9B': 'SHOULD use a status code of 200 on variable coercion failure when accepting application/json',
};

test('what does not pass is only the known SHOULD and MAY gaps', () => {
  const notOk = results.filter((r) => r.status !== 'ok');
  expect(Object.fromEntries(notOk.map((r) => [r.id, r.name]))).toEqual(KNOWN_GAPS);
  expect(notOk.every((r) => r.status === 'warn' || r.status === 'notice')).toBe(true);
});
