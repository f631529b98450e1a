import type { GraphQLResolveInfo } from 'graphql';
import { Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { requestedFields } from '../privacy/requested';
import type { AppContext } from '../context';
import { Dwelling } from '../dwellings/dwelling.entity';
import { through, type Row } from '../privacy/scoped-reader';
import { Lease } from './lease.entity';

@Resolver(() => Lease)
export class LeaseResolver {
  @FieldResolver(() => Dwelling, { nullable: true })
  dwelling(@Root() lease: Row, @Ctx() { reader }: AppContext, @Info() info: GraphQLResolveInfo) {
    return reader.byId('Dwelling', lease.dwellingId as string, through(lease), requestedFields(info));
  }
}
