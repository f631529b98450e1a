import { Arg, Ctx, Int, Mutation, Resolver } from 'type-graphql';
import type { AppContext } from '../../privacy/context';
import { AnnouncementInput } from './announcement.input';
import { announceToDataSubjects } from './announcement.service';

@Resolver()
export class AnnouncementMutationResolver {
  @Mutation(() => Int, {
    nullable: true,
    description: 'Staff PRIVACY: announce a merger, a transfer of personal data or another statement to everyone whose data is kept; how many were told.',
  })
  announceToDataSubjects(@Arg('input', () => AnnouncementInput) input: AnnouncementInput, @Ctx() ctx: AppContext) {
    return announceToDataSubjects(ctx, input);
  }
}
