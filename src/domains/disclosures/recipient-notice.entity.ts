import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

/** The rights whose carrying out a recipient holding a copy is told of (art. 19). */
export enum RecipientNoticeAction {
  RECTIFICATION = 'RECTIFICATION',
  ERASURE = 'ERASURE',
  RESTRICTION = 'RESTRICTION',
}
registerEnumType(RecipientNoticeAction, { name: 'RecipientNoticeAction' });

/** A notice owed to a recipient that holds a copy of a tenant's data (art. 19), until sent. */
@ObjectType()
@Entity('recipient_notice')
export class RecipientNotice {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'disclosure_id' })
  disclosureId: string;

  @Column('uuid', { name: 'request_id', nullable: true })
  requestId: string | null;

  @Field(() => RecipientNoticeAction, { nullable: true })
  @Column('text')
  action: RecipientNoticeAction;

  @Field(() => Date, { nullable: true })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt: Date | null;
}
