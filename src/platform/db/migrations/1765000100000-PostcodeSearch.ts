import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A tenant found by the postcode of their address (issue 17): the dwellings with that postcode, a
 * street's stretch of a few dozen, through this index, then their leases (lease_dwelling_idx).
 */
export class PostcodeSearch1765000100000 implements MigrationInterface {
  name = 'PostcodeSearch1765000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX dwelling_postal_code_idx ON dwelling (postal_code)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX dwelling_postal_code_idx');
  }
}
