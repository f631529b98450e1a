import { Field, ID, InputType } from 'type-graphql';

/**
 * A disclosure the law obliged (to a public authority). The tenant is notified unless `withheld`,
 * which needs the legal reason that forbids telling.
 */
@InputType('LegalDisclosureInput')
export class LegalDisclosureInput {
  @Field(() => ID)
  tenantId: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The public authority that received the data, e.g. Belastingdienst. Kept after an erasure as the addressee of art. 19 notices; ' +
      'an organisation of kind AUTHORITY is registered under this name the first time.',
  })
  authority?: string | null;

  @Field(() => String, { description: "Who received the data (the authority's department or officer). Masked when the tenant's data is erased." })
  recipientName: string;

  @Field(() => String, { description: 'The statutory provision that obliged the disclosure.' })
  legalBasis: string;

  @Field(() => [String], { description: "Personal fields disclosed, as the policy names them: 'Tenant.email', 'Lease.monthlyRent'." })
  fields: string[];

  @Field(() => Boolean, { description: 'True: the tenant is not told (and does not see it), for the reason in withheldReason.' })
  withheld: boolean;

  @Field(() => String, { nullable: true, description: 'Required when withheld, and only then: the legal reason for not telling.' })
  withheldReason?: string | null;
}
