import { Ctx, Query, Resolver } from 'type-graphql';
import type { AppContext } from '../../privacy/context';
import { PrivacyStatementVersion } from './privacy-statement.entity';

@Resolver(() => PrivacyStatementVersion)
export class PrivacyStatementResolver {
  @Query(() => PrivacyStatementVersion, { nullable: true, description: 'Public: the current privacy statement.' })
  privacyStatement(@Ctx() { dataSource }: AppContext) {
    return dataSource.getRepository(PrivacyStatementVersion).findOne({ where: {}, order: { version: 'DESC' } });
  }
}
