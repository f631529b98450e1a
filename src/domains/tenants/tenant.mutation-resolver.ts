import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { AppContext } from '../../privacy/context';
import { ContactDetailsInput } from './contact-details.input';
import { Tenant } from './tenant.entity';
import { updateContactDetails } from './tenant.service';
import { setAnalyticsConsent } from './consent.service';

@Resolver()
export class TenantMutationResolver {
  @Mutation(() => Tenant, { nullable: true, description: 'Tenant: correct own email, phone and/or IBAN.' })
  updateMyContactDetails(@Arg('input', () => ContactDetailsInput) input: ContactDetailsInput, @Ctx() ctx: AppContext) {
    return updateContactDetails(ctx, input);
  }

  @Mutation(() => Tenant, { nullable: true, description: 'Tenant: give or withdraw consent for analytics cookies.' })
  setAnalyticsConsent(@Arg('granted', () => Boolean) granted: boolean, @Ctx() ctx: AppContext) {
    return setAnalyticsConsent(ctx, granted);
  }
}
