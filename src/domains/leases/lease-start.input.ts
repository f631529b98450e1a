import { Field, Float, ID, InputType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/values/scalars';

/** Staff CONTRACT: a person (a home seeker, a tenant, a former tenant coming back) signs a lease for a dwelling. */
@InputType('LeaseStartInput')
export class LeaseStartInput {
  @Field(() => ID) tenantId: string;
  @Field(() => ID) dwellingId: string;
  @Field(() => LocalDateScalar, { description: 'The first day of the lease.' }) startDate: string;
  @Field(() => Float, { description: 'Euros per month.' }) monthlyRent: number;
}
