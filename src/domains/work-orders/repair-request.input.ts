import { Field, InputType } from 'type-graphql';

@InputType('RepairRequestInput')
export class RepairRequestInput {
  @Field(() => String, { description: 'What needs repairing; 5 to 2000 characters.' })
  description: string;
}
