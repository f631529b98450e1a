import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum OrganizationKind {
  CONTRACTOR = 'CONTRACTOR',
  BUILDER = 'BUILDER',
  BAILIFF = 'BAILIFF',
  /** A public authority that received data under a legal obligation (the tax authority, a municipality). */
  AUTHORITY = 'AUTHORITY',
}
registerEnumType(OrganizationKind, { name: 'OrganizationKind', description: 'What an outside organisation does for the corporation' });

/** A contractor, builder, bailiff's office or public authority: a recipient of personal data, never a data subject. */
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
