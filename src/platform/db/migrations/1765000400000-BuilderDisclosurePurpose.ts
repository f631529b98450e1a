import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A builder's disclosures were recorded under `RENOVATION`, which is no purpose of the policy: the
 * register names REPAIRS (maintenance) for builders, as the disclosures now record it.
 */
export class BuilderDisclosurePurpose1765000400000 implements MigrationInterface {
  name = 'BuilderDisclosurePurpose1765000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE disclosure SET purpose = 'REPAIRS' WHERE recipient_kind = 'BUILDER' AND purpose = 'RENOVATION'`);
  }

  async down(): Promise<void> {
    // Which rows were RENOVATION is not kept; REPAIRS is correct for all of them.
  }
}
