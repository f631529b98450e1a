import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum NotificationKind {
  BAILIFF_HANDOVER = 'BAILIFF_HANDOVER',
  LEGAL_DISCLOSURE = 'LEGAL_DISCLOSURE',
  PRIVACY_STATEMENT_CHANGED = 'PRIVACY_STATEMENT_CHANGED',
  REQUEST_PROGRESS = 'REQUEST_PROGRESS',
  /** A request refused, with the reason and the right to complain (art. 12(4)). */
  REQUEST_REFUSED = 'REQUEST_REFUSED',
  /** Told before a restriction is lifted (art. 18(3)). */
  RESTRICTION_LIFTED = 'RESTRICTION_LIFTED',
  /** A merger, a transfer of personal data, or another statement coming to apply. */
  ANNOUNCEMENT = 'ANNOUNCEMENT',
}
registerEnumType(NotificationKind, { name: 'NotificationKind' });

/** A message in the tenant's inbox. */
@ObjectType()
@Entity('notification')
export class Notification {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Field(() => NotificationKind, { nullable: true })
  @Column('text')
  kind: NotificationKind;

  @Field(() => String, { nullable: true })
  @Column('text')
  message: string;

  @Field(() => Date, { nullable: true })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'read_at', nullable: true })
  readAt: Date | null;
}
