import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { AppContext } from '../../privacy/context';
import { DataSubjectRequest, DataSubjectRequestKind } from './data-subject-request.entity';
import { resolveDataSubjectRequest, submitDataSubjectRequest } from './data-subject-request.service';

@Resolver()
export class DataSubjectRequestMutationResolver {
  @Mutation(() => DataSubjectRequest, {
    nullable: true,
    description: 'Tenant: ask for erasure; while one erasure request is open, asking again returns it.',
  })
  requestErasure(@Ctx() ctx: AppContext) {
    return submitDataSubjectRequest(ctx, DataSubjectRequestKind.ERASURE);
  }

  @Mutation(() => DataSubjectRequest, {
    nullable: true,
    description: 'Tenant: ask for access, rectification, erasure or restriction (GDPR arts. 15–18); due in one month.',
  })
  submitDataSubjectRequest(@Arg('kind', () => DataSubjectRequestKind) kind: DataSubjectRequestKind, @Ctx() ctx: AppContext) {
    return submitDataSubjectRequest(ctx, kind);
  }

  @Mutation(() => DataSubjectRequest, { nullable: true, description: 'Staff PRIVACY: carry out and resolve an open request.' })
  resolveDataSubjectRequest(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return resolveDataSubjectRequest(ctx, id);
  }
}
