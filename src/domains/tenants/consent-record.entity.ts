import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ConsentKind {
  /** The statement's analytics cookies ("cookies die het surfgedrag bijhouden"). */
  ANALYTICS_COOKIES = 'ANALYTICS_COOKIES',
}
registerEnumType(ConsentKind, { name: 'ConsentKind' });

/** A consent given (art. 7(1): the controller can show it), and its withdrawal (art. 7(3)). */
@ObjectType()
@Entity('consent_record')
export class ConsentRecord {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Field(() => ConsentKind, { nullable: true })
  @Column('text')
  kind: ConsentKind;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'given_at', default: () => 'now()' })
  givenAt: Date;

  @Field(() => Int, { nullable: true, description: 'The privacy statement version in force when the consent was given; null if not known.' })
  @Column('integer', { name: 'statement_version', nullable: true })
  statementVersion: number | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'withdrawn_at', nullable: true })
  withdrawnAt: Date | null;
}
