import { Field, Float, ID, ObjectType } from 'type-graphql';

/** A started iDEAL payment: where to send the tenant, and for how much. */
@ObjectType('IdealPayment')
export class IdealPayment {
  @Field(() => ID)
  paymentId: string;

  @Field(() => String)
  redirectUrl: string;

  @Field(() => Float, { description: 'Euros.' })
  amount: number;
}
