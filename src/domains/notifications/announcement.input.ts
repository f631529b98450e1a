import { Field, InputType, registerEnumType } from 'type-graphql';

export enum AnnouncementSubject {
  /** A merger, take-over or sale of assets ("fusie, overname of verkoop van activa"). */
  MERGER = 'MERGER',
  /** A transfer of personal data to another party. */
  TRANSFER = 'TRANSFER',
  /** Another privacy statement comes to apply to the personal data. */
  OTHER_STATEMENT = 'OTHER_STATEMENT',
}
registerEnumType(AnnouncementSubject, { name: 'AnnouncementSubject' });

@InputType('AnnouncementInput')
export class AnnouncementInput {
  @Field(() => AnnouncementSubject)
  subject: AnnouncementSubject;

  @Field(() => String, { description: 'The other party: the organisation merged with, receiving the data, or whose statement applies.' })
  party: string;

  @Field(() => String, { description: 'What changes for the person and when, in Dutch; at most 5000 characters.' })
  details: string;
}
