import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { RequestedFields, type Requested } from '../privacy/requested';
import type { AppContext } from '../context';
import { Dwelling } from '../dwellings/dwelling.entity';
import { through, type Row } from '../privacy/scoped-reader';
import { Lease } from './lease.entity';

@Resolver(() => Lease)
export class LeaseResolver {
  @FieldResolver(() => Dwelling, { nullable: true })
  dwelling(@Root() lease: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byId('Dwelling', lease.dwellingId as string, through(lease), fields);
  }
}
