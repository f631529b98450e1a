/**
 * Prints a signed token for trying the API:
 *   npm run token -- --role staff --purposes REPAIRS,PRIVACY
 *   npm run token -- --role tenant --tenant <uuid>
 *   npm run token -- --role contractor --org <uuid>
 * Signed with JWT_SECRET (the development secret outside production). With an identity provider
 * (OIDC_ISSUER or JWT_JWKS_URL) there is no secret to sign with: tokens come from the provider.
 * `npm run token` runs this file from source through @swc-node/register (a devDependency), so it
 * answers in about a second without a build.
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { signToken, Claims } from '../src/platform/auth/tokens';
import { ConfigError, loadConfig } from '../src/platform/config';
import { isPurpose, isRole } from '../src/platform/auth/audiences';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    tenant: { type: 'string' },
    org: { type: 'string' },
    purposes: { type: 'string' },
    sub: { type: 'string' },
    'expires-in': { type: 'string', default: '3600' },
  },
});

if (!isRole(values.role)) fail('--role must be one of tenant, staff, contractor, builder, bailiff');
const claims: Claims = { sub: values.sub ?? `${values.role}-${randomUUID().slice(0, 8)}`, role: values.role };
if (values.role === 'tenant') claims.tenantId = values.tenant ?? fail('--tenant <id> is required for a tenant');
else if (values.role === 'staff') {
  const purposes = (values.purposes ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  if (!purposes.length || !purposes.every(isPurpose)) fail('--purposes A,B with purposes from POLICY.md is required for staff');
  claims.purposes = purposes;
} else claims.orgId = values.org ?? fail(`--org <id> is required for a ${values.role}`);

let token: string;
try {
  token = signToken(claims, loadConfig().jwt, Number(values['expires-in']));
} catch (error) {
  // A configuration refused at start-up, or tokens that come from the identity provider: the reason, without a stack.
  fail(error instanceof ConfigError || error instanceof Error ? error.message : String(error));
}
console.log(token);
