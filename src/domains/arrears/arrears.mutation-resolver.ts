import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { AppContext } from '../../privacy/context';
import { ArrearsCase } from './arrears-case.entity';
import { closeArrearsCase, handArrearsToBailiff } from './arrears.service';

@Resolver()
export class ArrearsMutationResolver {
  @Mutation(() => ArrearsCase, { nullable: true, description: 'Staff ARREARS: hand a case to a bailiff; a disclosure the tenant is told of.' })
  handArrearsToBailiff(
    @Arg('caseId', () => ID) caseId: string,
    @Arg('bailiffId', () => ID) bailiffId: string,
    @Ctx() ctx: AppContext,
  ) {
    return handArrearsToBailiff(ctx, caseId, bailiffId);
  }

  @Mutation(() => ArrearsCase, { nullable: true, description: "Staff ARREARS: close a case; a bailiff's access to it ends at once." })
  closeArrearsCase(@Arg('caseId', () => ID) caseId: string, @Ctx() ctx: AppContext) {
    return closeArrearsCase(ctx, caseId);
  }
}
