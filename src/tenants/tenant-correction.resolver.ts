import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { assertUuid } from '../common/connection';
import type { AppContext } from '../context';
import { Lease } from '../leases/lease.entity';
import { Tenant } from './tenant.entity';
import { LeaseChangeInput, TenantCorrectionInput } from './tenant-correction.input';
import { changeLease, correctTenant } from './tenant-correction.service';

@Resolver()
export class TenantCorrectionResolver {
  @Mutation(() => Tenant, { nullable: true, description: 'Staff: correct name and date of birth (CONTRACT) or the IBAN (RENT_COLLECTION).' })
  correctTenant(@Arg('id', () => ID) id: string, @Arg('input', () => TenantCorrectionInput) input: TenantCorrectionInput, @Ctx() ctx: AppContext) {
    return correctTenant(ctx, assertUuid(id), input);
  }

  @Mutation(() => Lease, { nullable: true, description: 'Staff CONTRACT: change a lease (end date, rent).' })
  changeLease(@Arg('id', () => ID) id: string, @Arg('input', () => LeaseChangeInput) input: LeaseChangeInput, @Ctx() ctx: AppContext) {
    return changeLease(ctx, assertUuid(id), input);
  }
}
