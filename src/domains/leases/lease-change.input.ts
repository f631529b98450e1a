import { Field, InputType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/values/scalars';

/** Staff CONTRACT's change of a lease; a field left out stays. */
@InputType('LeaseChangeInput')
export class LeaseChangeInput {
  @Field(() => LocalDateScalar, { nullable: true, description: 'The last day of the lease (ends it).' }) endDate?: string | null;
  @Field(() => Number, { nullable: true, description: 'Euros per month.' }) monthlyRent?: number | null;
}
