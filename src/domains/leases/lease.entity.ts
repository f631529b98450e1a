import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, Float, ID, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/values/scalars';
import { money } from '../../platform/db/columns';

/** The rental contract of one tenant for one dwelling; `endDate` null while it runs. */
@ObjectType()
@Entity('lease')
export class Lease {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Index()
  /** Null only once the person is anonymised: they are tied to no address. */
  @Column('uuid', { name: 'dwelling_id', nullable: true })
  dwellingId: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'start_date' })
  startDate: string;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'end_date', nullable: true })
  endDate: string | null;

  @Field(() => Float, { nullable: true })
  @Column('numeric', { name: 'monthly_rent', precision: 10, scale: 2, transformer: money })
  monthlyRent: number;
}
