import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consent to analytics cookies as a record (POLICY.md "Consent"): when it was given, under which
 * version of the privacy statement, and when it was withdrawn. `Tenant.analyticsConsent` is derived
 * from it (a consent not withdrawn), so the boolean column goes. A consent held before this
 * migration becomes a record given now, under an unknown version (null): the time it was first
 * given was never kept.
 */
export class ConsentRecords1764941000000 implements MigrationInterface {
  name = 'ConsentRecords1764941000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE consent_record (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        kind text NOT NULL CHECK (kind IN ('ANALYTICS_COOKIES')),
        given_at timestamptz NOT NULL DEFAULT now(),
        statement_version integer,
        withdrawn_at timestamptz,
        CHECK (withdrawn_at IS NULL OR withdrawn_at >= given_at)
      );
      CREATE INDEX consent_record_tenant_idx ON consent_record (tenant_id, given_at);
      -- At most one consent of a kind in force per person.
      CREATE UNIQUE INDEX consent_record_in_force_idx ON consent_record (tenant_id, kind) WHERE withdrawn_at IS NULL;
      INSERT INTO consent_record (tenant_id, kind) SELECT id, 'ANALYTICS_COOKIES' FROM tenant WHERE analytics_consent;
      ALTER TABLE tenant DROP COLUMN analytics_consent;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenant ADD COLUMN analytics_consent boolean NOT NULL DEFAULT false;
      UPDATE tenant SET analytics_consent = true
        WHERE EXISTS (SELECT 1 FROM consent_record c WHERE c.tenant_id = tenant.id AND c.withdrawn_at IS NULL);
      DROP TABLE consent_record;
    `);
  }
}
