import { Ctx, Query, Resolver } from 'type-graphql';
import type { AppContext } from '../context';
import { Notification } from './notification.entity';

@Resolver(() => Notification)
export class NotificationResolver {
  @Query(() => [Notification], { nullable: true, description: "Tenant: the caller's inbox, newest first." })
  myNotifications(@Ctx() { reader }: AppContext) {
    return reader.list('Notification', { orderBy: { fields: ['createdAt'], direction: 'DESC' }, limit: 200 });
  }
}
