import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/values/scalars';

export enum WorkOrderStatus {
  REQUESTED = 'REQUESTED',
  ASSIGNED = 'ASSIGNED',
  IN_PROGRESS = 'IN_PROGRESS',
  DONE = 'DONE',
  CANCELLED = 'CANCELLED',
}
registerEnumType(WorkOrderStatus, { name: 'WorkOrderStatus' });

/** A repair or maintenance job; assigning it to a contractor discloses the tenant's name, phone and address. */
@ObjectType()
@Entity('work_order')
// The indexes themselves are made by migrations (ContractorScopeIndexes): the contractor's scope.
@Index('work_order_tenant_contractor_idx', ['tenantId', 'contractorId'])
@Index('work_order_dwelling_contractor_idx', ['dwellingId', 'contractorId'])
export class WorkOrder {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  /** Null only once the person is anonymised: they are tied to no address. */
  @Column('uuid', { name: 'dwelling_id', nullable: true })
  dwellingId: string | null;

  @Index()
  @Column('uuid', { name: 'contractor_id', nullable: true })
  contractorId: string | null;

  @Field(() => String, { nullable: true })
  @Column('text')
  description: string;

  @Field(() => WorkOrderStatus, { nullable: true })
  @Column('text')
  status: WorkOrderStatus;

  @Field(() => Date, { nullable: true })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'scheduled_for', nullable: true })
  scheduledFor: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt: Date | null;
}
