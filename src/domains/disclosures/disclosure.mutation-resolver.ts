import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { AppContext } from '../../privacy/context';
import { Disclosure } from './disclosure.entity';
import { LegalDisclosureInput } from './legal-disclosure.input';
import { recordLegalDisclosure } from './legal-disclosure.service';

@Resolver()
export class DisclosureMutationResolver {
  @Mutation(() => Disclosure, { nullable: true, description: 'Staff PRIVACY: a disclosure made under legal obligation.' })
  recordLegalDisclosure(@Arg('input', () => LegalDisclosureInput) input: LegalDisclosureInput, @Ctx() ctx: AppContext) {
    return recordLegalDisclosure(ctx, input);
  }
}
