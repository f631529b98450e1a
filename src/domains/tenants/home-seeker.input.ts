import { Field, InputType, Int } from 'type-graphql';
import { LocalDateScalar } from '../../platform/values/scalars';
import { IncomeCategory } from './tenant.entity';

/**
 * Staff LETTING: what a home seeker's registration holds (POLICY.md): who they are, how to reach
 * them, and what the allocation rules ask (income category and household size, as the tax
 * authority gives them). No bank account and no address: there is no lease yet.
 */
@InputType('HomeSeekerInput')
export class HomeSeekerInput {
  @Field(() => String) firstName: string;
  @Field(() => String) lastName: string;
  @Field(() => LocalDateScalar) dateOfBirth: string;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => IncomeCategory, { nullable: true }) incomeCategory?: IncomeCategory | null;
  @Field(() => Int, { nullable: true }) householdSize?: number | null;
}
