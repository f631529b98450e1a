import { Ctx, Query, Resolver } from 'type-graphql';
import { RequestedFields, type Requested } from '../../privacy/read/requested';
import type { AppContext } from '../../privacy/context';
import { Notification } from './notification.entity';

@Resolver(() => Notification)
export class NotificationResolver {
  @Query(() => [Notification], { nullable: true, description: "Tenant: the caller's inbox, newest first." })
  myNotifications(@Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.list('Notification', { orderBy: { fields: ['createdAt'], direction: 'DESC' }, limit: 200, fields });
  }
}
