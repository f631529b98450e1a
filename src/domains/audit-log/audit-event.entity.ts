import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';

/** Who read which personal fields of which tenants; never the values. Append-only, hash-chained. */
@ObjectType()
@Entity('audit_event')
export class AuditEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { default: () => 'now()' })
  at: Date;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'actor_sub' })
  actorSub: string;

  @Field(() => String, { nullable: true })
  @Column('text')
  role: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { name: 'org_id', nullable: true })
  orgId: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  purpose: string | null;

  @Field(() => String, { nullable: true })
  @Column('text')
  operation: string;

  @Field(() => [ID], { nullable: true })
  @Column('uuid', { name: 'tenant_ids', array: true })
  tenantIds: string[];

  @Field(() => [String], { nullable: true })
  @Column('text', { array: true })
  fields: string[];

  /** The appending process's chain; `seq` orders it. */
  @Column('text')
  chain: string;

  @Column('bigint')
  seq: string;

  @Column('text', { name: 'prev_hash', nullable: true })
  prevHash: string | null;

  @Field(() => String, { nullable: true })
  @Column('text')
  hash: string;
}
