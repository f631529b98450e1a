import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A search walks each matching name's holders through the name indexes, at most a page (a count:
 * 1,001 rows) per name. PostgreSQL estimates one name's holders as the average, a few hundred at a
 * million people, while the names a search matches are as often the common ones ("Jansen": 25,000).
 * Below the limit, a bitmap of every holder looks cheaper than the index walk wherever the
 * visibility map is taken to be unset, and the walk then reads and sorts them all. Declaring the
 * names' spread (one distinct name per 2,000 people, at any size) makes each name's estimate larger
 * than the count's limit, so the walk that stops at it is the plan.
 */
export class SearchedNameStatistics1765000200000 implements MigrationInterface {
  name = 'SearchedNameStatistics1765000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenant ALTER COLUMN first_name SET (n_distinct = -0.0005);
      ALTER TABLE tenant ALTER COLUMN last_name SET (n_distinct = -0.0005);
      ANALYZE tenant;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenant ALTER COLUMN first_name RESET (n_distinct);
      ALTER TABLE tenant ALTER COLUMN last_name RESET (n_distinct);
      ANALYZE tenant;
    `);
  }
}
