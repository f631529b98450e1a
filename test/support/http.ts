import { createHmac } from 'node:crypto';
import { checkedErrors, config, GqlResult, TestApp } from './app';
import { fetchJson } from './fetch-json';

/**
 * A POST to the test server with exactly the headers given (no `Bearer ` added), for tests of
 * malformed Authorization headers and crafted tokens. Returns the raw body text as well.
 */
export async function postRaw(
  t: TestApp,
  query: string,
  variables: Record<string, unknown> | undefined,
  headers: Record<string, string>,
): Promise<GqlResult & { text: string }> {
  const { status, headers: got, text, body } = await fetchJson(t.app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status, data: body?.data, errors: checkedErrors(body?.errors, got.get('x-request-id')), body, text };
}

export interface RawSignOptions {
  secret?: string;
  algorithm?: 'HS256' | 'HS384' | 'HS512';
  /** Header parameters besides `alg` and `typ` (`crit`, `kid`). */
  header?: Record<string, unknown>;
  issuer?: string | null;
  audience?: string | null;
  /** Seconds from now; negative for an expired token; null for no `exp`. */
  expiresIn?: number | null;
}

/**
 * Signs any payload, by default exactly as the server expects (test secret, HS256, issuer,
 * audience, 10 minutes); each option breaks one of those. By hand on node:crypto rather than jose,
 * whose signing is asynchronous: the tests build tokens in plain expressions.
 */
export function rawSign(payload: Record<string, unknown>, options: RawSignOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const body: Record<string, unknown> = { iat: now, ...payload };
  const issuer = options.issuer === undefined ? config.jwt.issuer : options.issuer;
  const audience = options.audience === undefined ? config.jwt.audience : options.audience;
  const expiresIn = options.expiresIn === undefined ? 600 : options.expiresIn;
  if (issuer !== null) body.iss = issuer;
  if (audience !== null) body.aud = audience;
  if (expiresIn !== null) body.exp = now + expiresIn;
  return hmacToken(body, options.secret ?? config.jwt.secret!, options.algorithm ?? 'HS256', options.header);
}

/** A JWS with an HMAC algorithm over any payload and header: `key` may be any bytes (a public key's, for key confusion). */
export function hmacToken(payload: Record<string, unknown>, key: string | Buffer, algorithm: 'HS256' | 'HS384' | 'HS512' = 'HS256', header: Record<string, unknown> = {}): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b64({ alg: algorithm, typ: 'JWT', ...header })}.${b64(payload)}`;
  return `${input}.${createHmac(`sha${algorithm.slice(2)}`, key).update(input).digest('base64url')}`;
}

/** An unsigned token (`alg: none`): header.payload. with an empty signature. */
export function unsignedToken(payload: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claims = { iat: now, exp: now + 600, iss: config.jwt.issuer, aud: config.jwt.audience, ...payload };
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
}

/** Personal values that must never appear in a response body: they are what a leak would show. */
export function expectNoneOf(text: string, values: (string | null | undefined)[]): void {
  for (const value of values) {
    if (value) expect(text).not.toContain(value);
  }
}
