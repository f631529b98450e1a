import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { assertUuid } from '../../privacy/read/connection';
import type { AppContext } from '../../privacy/context';
import { Tenant } from './tenant.entity';
import { TenantCorrectionInput } from './tenant-correction.input';
import { correctTenant } from './tenant-correction.service';

@Resolver()
export class TenantCorrectionResolver {
  @Mutation(() => Tenant, { nullable: true, description: 'Staff: correct name and date of birth (CONTRACT) or the IBAN (RENT_COLLECTION).' })
  correctTenant(@Arg('id', () => ID) id: string, @Arg('input', () => TenantCorrectionInput) input: TenantCorrectionInput, @Ctx() ctx: AppContext) {
    return correctTenant(ctx, assertUuid(id), input);
  }
}
