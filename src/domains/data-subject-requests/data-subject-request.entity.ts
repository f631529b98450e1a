import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { OBJECTABLE_PURPOSES } from '../../privacy/policy/processing';

export enum DataSubjectRequestKind {
  ACCESS = 'ACCESS',
  RECTIFICATION = 'RECTIFICATION',
  ERASURE = 'ERASURE',
  RESTRICTION = 'RESTRICTION',
  /** Art. 21: against the purposes resting on legitimate interest. */
  OBJECTION = 'OBJECTION',
}
registerEnumType(DataSubjectRequestKind, { name: 'DataSubjectRequestKind' });

/** The purposes an objection may name (art. 21(1)), from the policy's purpose declarations. */
export const ObjectablePurpose = Object.fromEntries(OBJECTABLE_PURPOSES.map((p) => [p, p]));
registerEnumType(ObjectablePurpose, { name: 'ObjectablePurpose', description: 'A purpose resting on legitimate interest (GDPR art. 6(1)(f)).' });

export enum DataSubjectRequestStatus {
  RECEIVED = 'RECEIVED',
  IN_PROGRESS = 'IN_PROGRESS',
  RESOLVED = 'RESOLVED',
  REFUSED = 'REFUSED',
}
registerEnumType(DataSubjectRequestStatus, { name: 'DataSubjectRequestStatus' });

/** A GDPR request; due one month after receipt (art. 12(3)). */
@ObjectType()
@Entity('data_subject_request')
export class DataSubjectRequest {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Field(() => DataSubjectRequestKind, { nullable: true })
  @Column('text')
  kind: DataSubjectRequestKind;

  @Field(() => DataSubjectRequestStatus, { nullable: true })
  @Column('text')
  status: DataSubjectRequestStatus;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'received_at' })
  receivedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'due_at' })
  dueAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'resolved_at', nullable: true })
  resolvedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'What was done; for a refusal, its reason.' })
  @Column('text', { nullable: true })
  outcome: string | null;

  @Field(() => [String], { nullable: true, description: 'An objection: the purposes objected to.' })
  @Column('text', { array: true, nullable: true })
  purposes: string[] | null;

  /** An erasure held back by a running lease (art. 17(3)(b)): the retention job completes it when the last lease has ended. */
  @Column('boolean', { name: 'awaiting_lease_end', default: false })
  awaitingLeaseEnd: boolean;
}
