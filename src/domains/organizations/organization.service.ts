import type { ScopedWriter } from '../../privacy/write/scoped-writer';
import { BadUserInputError } from '../../platform/errors';
import { OrganizationKind } from './organization.entity';

/** The organisation named by an argument, which must be of `kind`; else BAD_USER_INPUT naming the argument. */
export async function organizationOfKind(
  writer: ScopedWriter, id: string, kind: OrganizationKind, argument: string,
): Promise<{ id: string; name: string }> {
  const [org] = await writer.lookup(`SELECT id, name FROM organization WHERE id = $1 AND kind = $2`, [id, kind]);
  if (!org) throw new BadUserInputError(`${argument} does not name a ${kind.toLowerCase()}`, argument);
  return org;
}
