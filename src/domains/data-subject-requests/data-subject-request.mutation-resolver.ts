import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { AppContext } from '../../privacy/context';
import { Tenant } from '../tenants/tenant.entity';
import { DataSubjectRequest, DataSubjectRequestKind, ObjectablePurpose } from './data-subject-request.entity';
import { liftRestriction, refuseDataSubjectRequest, resolveDataSubjectRequest, submitDataSubjectRequest } from './data-subject-request.service';

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
    description:
      'Tenant: ask for access, rectification, erasure or restriction, or object (GDPR arts. 15–18, 21); due in one month. ' +
      'An OBJECTION names the purposes resting on legitimate interest it is against (all of them when none is named).',
  })
  submitDataSubjectRequest(
    @Arg('kind', () => DataSubjectRequestKind) kind: DataSubjectRequestKind,
    @Ctx() ctx: AppContext,
    @Arg('purposes', () => [ObjectablePurpose], { nullable: true }) purposes?: string[] | null,
  ) {
    return submitDataSubjectRequest(ctx, kind, purposes);
  }

  @Mutation(() => DataSubjectRequest, { nullable: true, description: 'Staff PRIVACY: carry out and resolve an open request.' })
  resolveDataSubjectRequest(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return resolveDataSubjectRequest(ctx, id);
  }

  @Mutation(() => DataSubjectRequest, {
    nullable: true,
    description: 'Staff PRIVACY: refuse an open request with its reason (art. 12(4)); the tenant is told the reason and the right to complain.',
  })
  refuseDataSubjectRequest(@Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string, @Ctx() ctx: AppContext) {
    return refuseDataSubjectRequest(ctx, id, reason);
  }

  @Mutation(() => Tenant, { nullable: true, description: 'Staff PRIVACY: lift a restriction (art. 18(3)); the tenant is notified first.' })
  liftRestriction(@Arg('tenantId', () => ID) tenantId: string, @Ctx() ctx: AppContext) {
    return liftRestriction(ctx, tenantId);
  }
}
