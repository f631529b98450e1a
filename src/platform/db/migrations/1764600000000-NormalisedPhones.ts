import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Phones are compared and stored in one form, E.164: a Dutch national number `0612345678` becomes
 * `+31612345678`, so that the unique index sees one value however it was typed. A national number
 * whose E.164 form another tenant already holds stays as it is (the index would refuse it); the
 * next correction by its tenant normalises it.
 */
export class NormalisedPhones1764600000000 implements MigrationInterface {
  name = 'NormalisedPhones1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE tenant SET phone = '+31' || substr(phone, 2)
      WHERE phone ~ '^0[1-9][0-9]{8}$'
        AND NOT EXISTS (SELECT 1 FROM tenant other WHERE other.phone = '+31' || substr(tenant.phone, 2))`);
  }

  async down(): Promise<void> {
    // The national form of a number is not kept: E.164 is the same number.
  }
}
