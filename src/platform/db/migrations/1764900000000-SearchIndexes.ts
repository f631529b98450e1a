import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search without a scan of every person: trigram indexes (pg_trgm, which PGlite ships as an
 * extension) serve `ILIKE '%term%'` on the names; emails, phones and IBANs are looked up whole
 * through their unique indexes, so emails are stored in the one form they are compared in (lower
 * case) — an address whose lower-case form another tenant already holds stays as it is.
 */
export class SearchIndexes1764900000000 implements MigrationInterface {
  name = 'SearchIndexes1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await q.query('CREATE INDEX tenant_first_name_trgm_idx ON tenant USING gin (first_name gin_trgm_ops)');
    await q.query('CREATE INDEX tenant_last_name_trgm_idx ON tenant USING gin (last_name gin_trgm_ops)');
    await q.query(`
      UPDATE tenant SET email = lower(email)
      WHERE email <> lower(email)
        AND NOT EXISTS (SELECT 1 FROM tenant other WHERE other.email = lower(tenant.email))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX tenant_last_name_trgm_idx');
    await q.query('DROP INDEX tenant_first_name_trgm_idx');
  }
}
