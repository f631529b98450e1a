import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/values/scalars';

export enum TenantStatus {
  /** Registered home seeker, no lease yet. */
  HOME_SEEKER = 'HOME_SEEKER',
  ACTIVE = 'ACTIVE',
  /** Deregistered; anonymised one year after `deregisteredAt`. */
  FORMER = 'FORMER',
}
registerEnumType(TenantStatus, { name: 'TenantStatus' });

/** As the tax authority gives it: below or above the allocation threshold, never an amount. */
export enum IncomeCategory {
  BELOW_THRESHOLD = 'BELOW_THRESHOLD',
  ABOVE_THRESHOLD = 'ABOVE_THRESHOLD',
}
registerEnumType(IncomeCategory, { name: 'IncomeCategory' });

/** Every personal field is nullable in GraphQL so that one refusal does not blank its parent. */
@ObjectType()
@Entity('tenant')
export class Tenant {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'first_name' })
  firstName: string;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'last_name' })
  lastName: string;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'date_of_birth', nullable: true })
  dateOfBirth: string | null;

  @Field(() => String, { nullable: true })
  @Index('tenant_email_key', { unique: true })
  @Column('text', { nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true })
  @Index('tenant_phone_key', { unique: true })
  @Column('text', { nullable: true })
  phone: string | null;

  @Field(() => String, { nullable: true })
  @Index('tenant_iban_key', { unique: true })
  @Column('text', { nullable: true })
  iban: string | null;

  @Field(() => IncomeCategory, { nullable: true })
  @Column('text', { name: 'income_category', nullable: true })
  incomeCategory: IncomeCategory | null;

  @Field(() => Int, { nullable: true })
  @Column('integer', { name: 'household_size', nullable: true })
  householdSize: number | null;

  @Field(() => TenantStatus, { nullable: true })
  @Column('text')
  status: TenantStatus;

  @Field(() => Date, { nullable: true })
  @CreateDateColumn({ name: 'registered_at', type: 'timestamptz' })
  registeredAt: Date;

  @Column('timestamptz', { name: 'deregistered_at', nullable: true })
  deregisteredAt: Date | null;

  /** A home seeker's last renewal; the registration ends a year after it (or after `registeredAt`). */
  @Column('timestamptz', { name: 'registration_renewed_at', nullable: true })
  registrationRenewedAt: Date | null;

  /** GDPR art. 18: while set, every purpose but PRIVACY is closed. */
  @Field(() => Boolean, { nullable: true, description: 'Processing is restricted (GDPR art. 18): closed to everyone but the tenant and the privacy officer.' })
  @Column('boolean', { default: false })
  restricted: boolean;

  /** GDPR art. 21: the purposes whose row scopes leave this tenant out since an objection was upheld. */
  @Field(() => [String], { nullable: true, description: 'The purposes an upheld objection (GDPR art. 21) closed to this tenant.' })
  @Column('text', { name: 'objected_purposes', array: true, default: () => "'{}'" })
  objectedPurposes: string[];

  @Column('timestamptz', { name: 'anonymized_at', nullable: true })
  anonymizedAt: Date | null;
}
