import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { RequestedFields, type Requested } from '../../privacy/read/requested';
import type { AppContext } from '../../privacy/context';
import { Dwelling } from '../dwellings/dwelling.entity';
import { through, type Row } from '../../privacy/read/scoped-reader';
import { RenovationProject } from './renovation-project.entity';

const PROJECT_DWELLINGS = { table: 'renovation_project_dwelling', key: 'project_id', target: 'dwelling_id' };

@Resolver(() => RenovationProject)
export class RenovationProjectResolver {
  @Query(() => [RenovationProject], { nullable: true, description: 'Builders: their projects while they run.' })
  renovationProjects(@Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.list('RenovationProject', { orderBy: { fields: ['startsOn'], direction: 'ASC' }, limit: 500, fields });
  }

  @FieldResolver(() => [Dwelling], { nullable: true })
  dwellings(@Root() project: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byLink('Dwelling', PROJECT_DWELLINGS, project.id, through(project), fields);
  }
}
