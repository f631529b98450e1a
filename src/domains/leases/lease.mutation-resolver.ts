import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { AppContext } from '../../privacy/context';
import { assertUuid } from '../../privacy/read/connection';
import { LeaseChangeInput } from './lease-change.input';
import { changeLease, startLease } from './lease-change.service';
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
}
