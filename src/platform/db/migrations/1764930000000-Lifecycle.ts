import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lifecycle as writes: a home seeker's renewal date, when an arrears case was closed, an erasure
 * held back by a running lease. And retention of the audit trail: the retention job deletes a
 * chain's expired prefix, recorded in `audit_retirement` under a keyed MAC, so `audit:verify` accepts
 * the chain starting after it. The append-only trigger allows that DELETE only inside a transaction
 * that set `mijande.audit_retention` (the job's setting); UPDATE stays refused for everyone.
 */
export class Lifecycle1764930000000 implements MigrationInterface {
  name = 'Lifecycle1764930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenant ADD COLUMN registration_renewed_at timestamptz`);
    await q.query(`ALTER TABLE arrears_case ADD COLUMN closed_at timestamptz`);
    await q.query(`ALTER TABLE data_subject_request ADD COLUMN awaiting_lease_end boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX data_subject_request_awaiting_idx ON data_subject_request (tenant_id) WHERE awaiting_lease_end`);
    await q.query(`
      CREATE TABLE audit_retirement (
        chain text PRIMARY KEY,
        through_seq bigint NOT NULL,
        last_hash text NOT NULL,
        retired_at timestamptz NOT NULL,
        mac text NOT NULL
      )`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' AND current_setting('mijande.audit_retention', true) = 'on' THEN RETURN OLD; END IF;
          RAISE EXCEPTION 'audit_event is append-only';
        END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$`);
    await q.query(`DROP TABLE audit_retirement`);
    await q.query(`DROP INDEX data_subject_request_awaiting_idx`);
    await q.query(`ALTER TABLE data_subject_request DROP COLUMN awaiting_lease_end`);
    await q.query(`ALTER TABLE arrears_case DROP COLUMN closed_at`);
    await q.query(`ALTER TABLE tenant DROP COLUMN registration_renewed_at`);
  }
}
