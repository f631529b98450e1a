import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';

/** A postal address. Personal data when it is where a tenant lives; the policy decides per path. */
@ObjectType()
export class Address {
  @Field(() => String, { nullable: true }) street: string;
  @Field(() => String, { nullable: true }) houseNumber: string;
  @Field(() => String, { nullable: true }) postalCode: string;
  @Field(() => String, { nullable: true }) city: string;
}

/** A dwelling the corporation lets. Its address is exposed as the `address` field, never as loose columns. */
@ObjectType()
@Entity('dwelling')
export class Dwelling {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  street: string;

  @Column('text', { name: 'house_number' })
  houseNumber: string;

  @Column('text', { name: 'postal_code' })
  postalCode: string;

  @Column('text')
  city: string;
}
