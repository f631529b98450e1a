import { Column, Entity, Index, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/values/scalars';
import { Dwelling } from '../dwellings/dwelling.entity';

/** A builder's project; the builder sees its dwellings' addresses from `startsOn` until `endsOn`. */
@ObjectType()
@Entity('renovation_project')
export class RenovationProject {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid', { name: 'builder_id' })
  builderId: string;

  @Field(() => String, { nullable: true })
  @Column('text')
  name: string;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'starts_on' })
  startsOn: string;

  @Field(() => LocalDateScalar, { nullable: true })
  @Column('date', { name: 'ends_on' })
  endsOn: string;

  @ManyToMany(() => Dwelling)
  @JoinTable({
    name: 'renovation_project_dwelling',
    joinColumn: { name: 'project_id' },
    inverseJoinColumn: { name: 'dwelling_id' },
  })
  dwellings?: Dwelling[];
}
