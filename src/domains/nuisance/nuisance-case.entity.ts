import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum NuisanceStatus {
  OPEN = 'OPEN',
  MEDIATION = 'MEDIATION',
  CLOSED = 'CLOSED',
}
registerEnumType(NuisanceStatus, { name: 'NuisanceStatus' });

/** A nuisance case about a tenant; the reporter is another person whom the tenant never sees. */
@ObjectType()
@Entity('nuisance_case')
export class NuisanceCase {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Index()
  @Column('uuid', { name: 'reported_by_id', nullable: true })
  reportedById: string | null;

  @Field(() => String, { nullable: true })
  @Column('text')
  description: string;

  @Field(() => NuisanceStatus, { nullable: true })
  @Column('text')
  status: NuisanceStatus;

  @Field(() => Date, { nullable: true })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
