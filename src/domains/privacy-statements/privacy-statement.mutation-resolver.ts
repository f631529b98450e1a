import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { AppContext } from '../../privacy/context';
import { PrivacyStatementVersion } from './privacy-statement.entity';
import { PrivacyStatementInput } from './privacy-statement.input';
import { publishPrivacyStatement } from './privacy-statement.service';

@Resolver()
export class PrivacyStatementMutationResolver {
  @Mutation(() => PrivacyStatementVersion, { nullable: true, description: 'Staff PRIVACY: publish a new version of the statement.' })
  publishPrivacyStatement(@Arg('input', () => PrivacyStatementInput) input: PrivacyStatementInput, @Ctx() ctx: AppContext) {
    return publishPrivacyStatement(ctx, input);
  }
}
