import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { LocalDateScalar } from '../../platform/values/scalars';
import type { AppContext } from '../../privacy/context';
import { assertUuid } from '../../privacy/read/connection';
import { LeaseChangeInput } from './lease-change.input';
import { changeLease, endLease, startLease } from './lease-change.service';
import { LeaseStartInput } from './lease-start.input';
import { Lease } from './lease.entity';

@Resolver()
export class LeaseMutationResolver {
  @Mutation(() => Lease, { nullable: true, description: 'Staff CONTRACT: change a lease (end date, rent).' })
  changeLease(@Arg('id', () => ID) id: string, @Arg('input', () => LeaseChangeInput) input: LeaseChangeInput, @Ctx() ctx: AppContext) {
    return changeLease(ctx, assertUuid(id), input);
  }

  @Mutation(() => Lease, { nullable: true, description: 'Staff CONTRACT: a person signs a lease for a free dwelling and becomes ACTIVE; a builder whose project holds the dwelling receives the address (a disclosure).' })
  startLease(@Arg('input', () => LeaseStartInput) input: LeaseStartInput, @Ctx() ctx: AppContext) {
    return startLease(ctx, input);
  }

  @Mutation(() => Lease, { nullable: true, description: "Staff CONTRACT: end a running lease; the tenant's last one deregisters the tenant (FORMER, with the end date)." })
  endLease(@Arg('id', () => ID) id: string, @Arg('endDate', () => LocalDateScalar) endDate: string, @Ctx() ctx: AppContext) {
    return endLease(ctx, assertUuid(id), endDate);
  }
}
