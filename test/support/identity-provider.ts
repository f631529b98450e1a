/**
 * A local OpenID Connect issuer on loopback for the token tests: a discovery document, a key set
 * (JWKS) whose keys a test adds and removes while it runs (rotation), request counts per path, and
 * signing with any of its keys. Keys are made with jose's generateKeyPair.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, JWK, KeyLike, SignJWT } from 'jose';

export type KeyAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

export interface IssuerKey {
  kid: string;
  alg: KeyAlgorithm;
  privateKey: KeyLike;
  publicKey: KeyLike;
  /** The public key as PEM (SPKI): the bytes a key-confusion attack uses as an HMAC secret. */
  publicPem: string;
  jwk: JWK;
}

export interface LocalIssuer {
  /** The issuer URL (`iss`, and OIDC_ISSUER): `http://127.0.0.1:<port>/realms/test`. */
  issuer: string;
  jwksUrl: string;
  /** Makes a key; served in the key set unless `served: false`. */
  addKey(alg: KeyAlgorithm, kid: string, options?: { served?: boolean }): Promise<IssuerKey>;
  /** Starts or stops serving a key in the key set. */
  serve(kid: string, served: boolean): void;
  key(kid: string): IssuerKey;
  /** A token signed with the key `kid`: `iss` this issuer, `aud` given, `iat` now, `exp` in 10 minutes, unless the payload says otherwise. */
  sign(kid: string, payload: Record<string, unknown>, options?: { audience?: string; header?: Record<string, unknown> }): Promise<string>;
  /** How many times each path was requested. */
  requests(path: 'jwks' | 'discovery'): number;
  /** What the discovery document says; a test may change it (another issuer, no jwks_uri). */
  discovery: Record<string, unknown>;
  close(): Promise<void>;
}

export async function startLocalIssuer(options: { audience?: string } = {}): Promise<LocalIssuer> {
  const keys = new Map<string, IssuerKey>();
  const served = new Set<string>();
  const counts = { jwks: 0, discovery: 0 };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    let body: unknown;
    if (path === '/realms/test/.well-known/openid-configuration') {
      counts.discovery++;
      body = issuer.discovery;
    } else if (path === '/realms/test/protocol/openid-connect/certs') {
      counts.jwks++;
      body = { keys: [...served].map((kid) => keys.get(kid)!.jwk) };
    } else {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/test`;
  const jwksUrl = `${base}/protocol/openid-connect/certs`;

  const issuer: LocalIssuer = {
    issuer: base,
    jwksUrl,
    discovery: { issuer: base, jwks_uri: jwksUrl, id_token_signing_alg_values_supported: ['RS256', 'ES256', 'EdDSA'] },
    async addKey(alg, kid, { served: serve = true } = {}) {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
      const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
      const key: IssuerKey = { kid, alg, privateKey, publicKey, publicPem: await exportSPKI(publicKey), jwk };
      keys.set(kid, key);
      if (serve) served.add(kid);
      return key;
    },
    serve(kid, serve) {
      if (serve) served.add(kid);
      else served.delete(kid);
    },
    key(kid) {
      const key = keys.get(kid);
      if (!key) throw new Error(`no key ${kid}`);
      return key;
    },
    async sign(kid, payload, { audience = options.audience ?? 'mijande-api', header = {} } = {}) {
      const key = issuer.key(kid);
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: base, aud: audience, iat: now, exp: now + 600, ...payload })
        .setProtectedHeader({ alg: key.alg, kid, typ: 'JWT', ...header })
        // A `crit` header is signed as given: the API under test is what must refuse it.
        .sign(key.privateKey, { crit: Object.fromEntries(((header.crit as string[] | undefined) ?? []).map((name) => [name, true])) });
    },
    requests: (path) => counts[path],
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      // jose's fetches keep their connections alive; close would wait for them to time out.
      server.closeAllConnections();
    }),
  };
  return issuer;
}
