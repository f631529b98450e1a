import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { AppContext } from '../context';
import { DataSubjectRequest } from './data-subject-request.entity';
import { requestErasure, resolveDataSubjectRequest } from './data-subject-request.service';

@Resolver()
export class DataSubjectRequestMutationResolver {
  @Mutation(() => DataSubjectRequest, {
    nullable: true,
    description: 'Tenant: ask for erasure; while one erasure request is open, asking again returns it.',
  })
  requestErasure(@Ctx() ctx: AppContext) {
    return requestErasure(ctx);
  }

  @Mutation(() => DataSubjectRequest, { nullable: true, description: 'Staff PRIVACY: carry out and resolve an open request.' })
  resolveDataSubjectRequest(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return resolveDataSubjectRequest(ctx, id);
  }
}
