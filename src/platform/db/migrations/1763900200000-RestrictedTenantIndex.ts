import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every row scope but the exempt ones checks that the row's tenant is not restricted (art. 18).
 * Restricted tenants are few: a partial index lets that check skip the whole tenant table.
 */
export class RestrictedTenantIndex1763900200000 implements MigrationInterface {
  name = 'RestrictedTenantIndex1763900200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX tenant_restricted_idx ON tenant (id) WHERE restricted');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX tenant_restricted_idx');
  }
}
