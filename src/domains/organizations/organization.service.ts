import type { ScopedWriter } from '../../privacy/write/scoped-writer';
import { BadUserInputError } from '../../platform/errors';
import { OrganizationKind } from './organization.entity';

/**
 * The public authority of this name, registered as an organisation the first time. An advisory lock
 * held to the end of the transaction keeps two first disclosures from registering it twice.
 */
export async function authorityNamed(writer: ScopedWriter, name: string): Promise<string> {
  await writer.lookup(`SELECT pg_advisory_xact_lock(hashtext('organization.authority'))`);
  const [found] = await writer.lookup(`SELECT id FROM organization WHERE kind = $1 AND name = $2`, [OrganizationKind.AUTHORITY, name]);
  return found?.id ?? writer.insert('Organization', null, { name, kind: OrganizationKind.AUTHORITY });
}

/** The organisation named by an argument, which must be of `kind`; else BAD_USER_INPUT naming the argument. */
export async function organizationOfKind(
  writer: ScopedWriter, id: string, kind: OrganizationKind, argument: string,
): Promise<{ id: string; name: string }> {
  const [org] = await writer.lookup(`SELECT id, name FROM organization WHERE id = $1 AND kind = $2`, [id, kind]);
  if (!org) throw new BadUserInputError(`${argument} does not name a ${kind.toLowerCase()}`, argument);
  return org;
}
