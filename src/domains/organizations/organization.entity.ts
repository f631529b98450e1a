import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum OrganizationKind {
  CONTRACTOR = 'CONTRACTOR',
  BUILDER = 'BUILDER',
  BAILIFF = 'BAILIFF',
}
registerEnumType(OrganizationKind, { name: 'OrganizationKind', description: 'What an outside organisation does for the corporation' });

/** A contractor, builder or bailiff's office: a recipient of personal data, never a data subject. */
@ObjectType()
@Entity('organization')
export class Organization {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => String, { nullable: true })
  @Column('text')
  name: string;

  @Field(() => OrganizationKind, { nullable: true })
  @Column('text')
  kind: OrganizationKind;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
