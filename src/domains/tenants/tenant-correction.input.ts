import { Field, InputType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/values/scalars';

/** Staff corrections of a tenant's record; a field left out stays. Who may change which field is the policy's `writers`. */
@InputType('TenantCorrectionInput')
export class TenantCorrectionInput {
  @Field(() => String, { nullable: true, description: 'CONTRACT' }) firstName?: string | null;
  @Field(() => String, { nullable: true, description: 'CONTRACT' }) lastName?: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'CONTRACT' }) dateOfBirth?: string | null;
  @Field(() => String, { nullable: true, description: 'RENT_COLLECTION: the direct-debit account' }) iban?: string | null;
}
