import { FieldResolver, Resolver, Root } from 'type-graphql';
import type { Row } from '../../privacy/read/scoped-reader';
import { Address, Dwelling } from './dwelling.entity';

@Resolver(() => Dwelling)
export class DwellingResolver {
  @FieldResolver(() => Address, { nullable: true })
  address(@Root() dwelling: Row) {
    return dwelling.address ?? null;
  }
}
