import { Field, ID, InputType } from 'type-graphql';

/**
 * A disclosure the law obliged (to a public authority). The tenant is notified unless `withheld`,
 * which needs the legal reason that forbids telling.
 */
@InputType('LegalDisclosureInput')
export class LegalDisclosureInput {
  @Field(() => ID)
  tenantId: string;

  @Field(() => String, { description: 'The authority that received the data.' })
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
