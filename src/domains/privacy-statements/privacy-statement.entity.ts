import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Field, Int, ObjectType } from 'type-graphql';

/** A published version of the privacy statement; public. */
@ObjectType('PrivacyStatement')
@Entity('privacy_statement_version')
export class PrivacyStatementVersion {
  @Field(() => Int)
  @PrimaryColumn('integer')
  version: number;

  @Field(() => Date)
  @Column('timestamptz', { name: 'published_at', default: () => 'now()' })
  publishedAt: Date;

  /** A significant change is announced to everyone whose data is kept. */
  @Field(() => Boolean)
  @Column('boolean')
  significant: boolean;

  @Field(() => String)
  @Column('text')
  text: string;
}
