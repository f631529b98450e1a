import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { AppContext } from '../../privacy/context';
import { HomeSeekerInput } from './home-seeker.input';
import { endRegistration, registerHomeSeeker, renewRegistration } from './home-seeker.service';
import { Tenant } from './tenant.entity';

@Resolver()
export class HomeSeekerMutationResolver {
  @Mutation(() => Tenant, { nullable: true, description: 'Staff LETTING: register a home seeker (status HOME_SEEKER); the registration runs a year unless renewed.' })
  registerHomeSeeker(@Arg('input', () => HomeSeekerInput) input: HomeSeekerInput, @Ctx() ctx: AppContext) {
    return registerHomeSeeker(ctx, input);
  }

  @Mutation(() => Tenant, { nullable: true, description: "Staff LETTING: renew a home seeker's registration for another year." })
  renewRegistration(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return renewRegistration(ctx, id);
  }

  @Mutation(() => Tenant, { nullable: true, description: "Staff LETTING: end a home seeker's registration (FORMER); anonymised a year later." })
  endRegistration(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return endRegistration(ctx, id);
  }
}
