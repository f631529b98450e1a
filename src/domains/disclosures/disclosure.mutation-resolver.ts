import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { AppContext } from '../../privacy/context';
import { Disclosure } from './disclosure.entity';
import { LegalDisclosureInput } from './legal-disclosure.input';
import { recordLegalDisclosure, releaseWithheldDisclosure } from './legal-disclosure.service';
import { RecipientNotice } from './recipient-notice.entity';
import { markRecipientNoticeSent } from './recipient-notice.service';

@Resolver()
export class DisclosureMutationResolver {
  @Mutation(() => Disclosure, { nullable: true, description: 'Staff PRIVACY: a disclosure made under legal obligation.' })
  recordLegalDisclosure(@Arg('input', () => LegalDisclosureInput) input: LegalDisclosureInput, @Ctx() ctx: AppContext) {
    return recordLegalDisclosure(ctx, input);
  }

  @Mutation(() => Disclosure, {
    nullable: true,
    description: 'Staff PRIVACY: the legal reason for withholding a disclosure ended; the tenant now sees it and is notified.',
  })
  releaseWithheldDisclosure(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return releaseWithheldDisclosure(ctx, id);
  }

  @Mutation(() => RecipientNotice, { nullable: true, description: 'Staff PRIVACY: an art. 19 notice was sent to its recipient.' })
  markRecipientNoticeSent(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return markRecipientNoticeSent(ctx, id);
  }
}
