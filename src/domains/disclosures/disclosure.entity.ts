import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum RecipientKind {
  CONTRACTOR = 'CONTRACTOR',
  BUILDER = 'BUILDER',
  BAILIFF = 'BAILIFF',
  /** A public authority receiving data under a legal obligation. */
  AUTHORITY = 'AUTHORITY',
}
registerEnumType(RecipientKind, { name: 'RecipientKind' });

/** A record that personal data left the corporation (GDPR art. 15(1)(c)). */
@ObjectType()
@Entity('disclosure')
export class Disclosure {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Field(() => RecipientKind, { nullable: true })
  @Column('text', { name: 'recipient_kind' })
  recipientKind: RecipientKind;

  @Column('uuid', { name: 'recipient_org_id', nullable: true })
  recipientOrgId: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'recipient_name' })
  recipientName: string;

  @Field(() => String, { nullable: true })
  @Column('text')
  purpose: string;

  /** Field paths disclosed, taken from the policy's declaration for the recipient. */
  @Field(() => [String], { nullable: true })
  @Column('text', { array: true })
  fields: string[];

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'disclosed_at', default: () => 'now()' })
  disclosedAt: Date;

  @Field(() => Boolean, { nullable: true })
  @Column('boolean', { default: false })
  withheld: boolean;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'withheld_reason', nullable: true })
  withheldReason: string | null;

  @Field(() => Date, { nullable: true, description: 'When a withheld disclosure was released to the tenant, its legal reason ended.' })
  @Column('timestamptz', { name: 'released_at', nullable: true })
  releasedAt: Date | null;
}
