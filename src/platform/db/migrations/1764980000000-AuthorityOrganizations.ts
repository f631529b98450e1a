import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Public authorities become organisations (kind AUTHORITY) when the privacy officer records a
 * legal disclosure to one: a disclosure then names its addressee without free text, and an art. 19
 * notice still has it after an erasure. One organisation per authority name.
 */
export class AuthorityOrganizations1764980000000 implements MigrationInterface {
  name = 'AuthorityOrganizations1764980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organization DROP CONSTRAINT organization_kind_check`);
    await q.query(`ALTER TABLE organization ADD CONSTRAINT organization_kind_check CHECK (kind IN ('CONTRACTOR','BUILDER','BAILIFF','AUTHORITY'))`);
    await q.query(`CREATE UNIQUE INDEX organization_authority_name_key ON organization (name) WHERE kind = 'AUTHORITY'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX organization_authority_name_key`);
    // An authority's disclosures keep their recipient name; the organisation goes.
    await q.query(`UPDATE disclosure SET recipient_org_id = NULL WHERE recipient_org_id IN (SELECT id FROM organization WHERE kind = 'AUTHORITY')`);
    await q.query(`DELETE FROM organization WHERE kind = 'AUTHORITY'`);
    await q.query(`ALTER TABLE organization DROP CONSTRAINT organization_kind_check`);
    await q.query(`ALTER TABLE organization ADD CONSTRAINT organization_kind_check CHECK (kind IN ('CONTRACTOR','BUILDER','BAILIFF'))`);
  }
}
