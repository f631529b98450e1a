import { Field, InputType } from 'type-graphql';

@InputType('PrivacyStatementInput')
export class PrivacyStatementInput {
  @Field(() => String, { description: 'The full text of the new version; at most 100000 characters.' })
  text: string;

  @Field(() => Boolean, { description: 'A significant change is announced to everyone whose data is kept: tenants, home seekers, former tenants within retention.' })
  significant: boolean;
}
