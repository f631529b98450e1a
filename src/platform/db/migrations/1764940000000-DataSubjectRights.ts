import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rights of POLICY.md "Data subject requests" beyond access and erasure:
 * - an objection (art. 21) names the purposes objected to; the tenant keeps the upheld ones, which
 *   the row scopes of those purposes read (a partial index per purpose keeps that anti-join cheap).
 *   Both hold only the purposes resting on legitimate interest as the policy declared them when
 *   this migration was written (processing.ts); a purpose added there needs a migration here too;
 * - a withheld disclosure records when it was released to the tenant;
 * - art. 19 notices: one per recipient holding a copy, per rectification, erasure or restriction
 *   carried out, listed for the privacy officer until sent.
 */
export class DataSubjectRights1764940000000 implements MigrationInterface {
  name = 'DataSubjectRights1764940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE data_subject_request DROP CONSTRAINT data_subject_request_kind_check;
      ALTER TABLE data_subject_request ADD CONSTRAINT data_subject_request_kind_check
        CHECK (kind IN ('ACCESS','RECTIFICATION','ERASURE','RESTRICTION','OBJECTION'));
      ALTER TABLE data_subject_request ADD COLUMN purposes text[] CHECK (purposes <@ ARRAY['ARREARS','NUISANCE']::text[]);
      ALTER TABLE tenant ADD COLUMN objected_purposes text[] NOT NULL DEFAULT '{}' CHECK (objected_purposes <@ ARRAY['ARREARS','NUISANCE']::text[]);
      CREATE INDEX tenant_objected_arrears_idx ON tenant (id) WHERE 'ARREARS' = ANY (objected_purposes);
      CREATE INDEX tenant_objected_nuisance_idx ON tenant (id) WHERE 'NUISANCE' = ANY (objected_purposes);
      ALTER TABLE disclosure ADD COLUMN released_at timestamptz;
      CREATE TABLE recipient_notice (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        disclosure_id uuid NOT NULL REFERENCES disclosure(id) ON DELETE CASCADE,
        request_id uuid REFERENCES data_subject_request(id) ON DELETE CASCADE,
        action text NOT NULL CHECK (action IN ('RECTIFICATION','ERASURE','RESTRICTION')),
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      );
      CREATE INDEX recipient_notice_tenant_idx ON recipient_notice (tenant_id);
      CREATE INDEX recipient_notice_unsent_idx ON recipient_notice (created_at) WHERE sent_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE recipient_notice;
      ALTER TABLE disclosure DROP COLUMN released_at;
      DROP INDEX tenant_objected_nuisance_idx;
      DROP INDEX tenant_objected_arrears_idx;
      ALTER TABLE tenant DROP COLUMN objected_purposes;
      ALTER TABLE data_subject_request DROP COLUMN purposes;
      DELETE FROM data_subject_request WHERE kind = 'OBJECTION';
      ALTER TABLE data_subject_request DROP CONSTRAINT data_subject_request_kind_check;
      ALTER TABLE data_subject_request ADD CONSTRAINT data_subject_request_kind_check
        CHECK (kind IN ('ACCESS','RECTIFICATION','ERASURE','RESTRICTION'));
    `);
  }
}
