import { Field, InputType } from 'type-graphql';

/** The contact details a tenant corrects; a field left out (or null) stays as it is; at least one is given. */
@InputType('ContactDetailsInput')
export class ContactDetailsInput {
  @Field(() => String, { nullable: true, description: 'E-mail address.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Dutch national (0612345678) or E.164 (+31612345678), no spaces.' })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'Direct-debit IBAN; spaces and lowercase are accepted and normalised.' })
  iban?: string | null;
}
