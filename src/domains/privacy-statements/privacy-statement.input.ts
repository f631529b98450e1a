import { Field, InputType } from 'type-graphql';

@InputType('PrivacyStatementInput')
export class PrivacyStatementInput {
  @Field(() => String, { description: 'The full text of the new version; at most 100000 characters.' })
  text: string;

  @Field(() => Boolean, { description: 'A significant change is announced to every tenant who has not left.' })
  significant: boolean;
}
