import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/values/scalars';
import { money } from '../../platform/db/columns';

export enum ArrearsStatus {
  OPEN = 'OPEN',
  PAYMENT_PLAN = 'PAYMENT_PLAN',
  HANDED_TO_BAILIFF = 'HANDED_TO_BAILIFF',
  CLOSED = 'CLOSED',
}
registerEnumType(ArrearsStatus, { name: 'ArrearsStatus' });

/** Rent arrears of one lease; handing it to a bailiff is a disclosure the tenant is told of. */
@ObjectType()
@Entity('arrears_case')
export class ArrearsCase {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'lease_id' })
  leaseId: string;

  @Field(() => Float, { nullable: true })
  @Column('numeric', { name: 'amount_due', precision: 10, scale: 2, transformer: money })
  amountDue: number;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date')
  since: string;

  @Field(() => ArrearsStatus, { nullable: true })
  @Column('text')
  status: ArrearsStatus;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'handed_over_at', nullable: true })
  handedOverAt: Date | null;

  /** When the case was closed; the fiscal retention counts from its year. */
  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt: Date | null;

  @Index()
  @Column('uuid', { name: 'bailiff_id', nullable: true })
  bailiffId: string | null;
}
