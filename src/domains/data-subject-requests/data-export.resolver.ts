import { Ctx, Query, Resolver } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { AppContext } from '../../privacy/context';
import { buildDataExport } from './data-export';

@Resolver()
export class DataExportResolver {
  @Query(() => GraphQLJSONObject, { nullable: true, description: "Tenant: every personal field of the caller's own, as JSON (art. 15 and 20)." })
  myDataExport(@Ctx() { reader, audit }: AppContext) {
    return buildDataExport(reader, audit);
  }
}
