import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { money } from '../../platform/db/columns';

export enum InvoiceStatus {
  OPEN = 'OPEN',
  PAID = 'PAID',
}
registerEnumType(InvoiceStatus, { name: 'InvoiceStatus' });

/** A monthly rent invoice; kept seven years after the end of its fiscal year. */
@ObjectType()
@Entity('invoice')
export class Invoice {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'lease_id', nullable: true })
  leaseId: string | null;

  /** The month billed, `YYYY-MM`; its year is the fiscal year. */
  @Field(() => String, { nullable: true })
  @Column('text')
  period: string;

  @Field(() => Float, { nullable: true })
  @Column('numeric', { precision: 10, scale: 2, transformer: money })
  amount: number;

  @Field(() => InvoiceStatus, { nullable: true })
  @Column('text')
  status: InvoiceStatus;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'paid_at', nullable: true })
  paidAt: Date | null;
}
