import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail as append-only hash chains. Each server process appends to a chain of its own
 * (so the chain never serialises traffic across instances); `seq` orders a chain, and each event's
 * hash covers the previous one. The database refuses UPDATE and DELETE on it.
 */
export class AuditChains1763900100000 implements MigrationInterface {
  name = 'AuditChains1763900100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_event ADD COLUMN chain text NOT NULL, ADD COLUMN seq bigint NOT NULL;
      ALTER TABLE audit_event ADD CONSTRAINT audit_event_chain_seq_key UNIQUE (chain, seq);
      CREATE INDEX audit_event_at_idx ON audit_event (at);
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$;
      CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER audit_event_append_only ON audit_event;
      DROP FUNCTION audit_event_append_only();
      DROP INDEX audit_event_at_idx;
      ALTER TABLE audit_event DROP CONSTRAINT audit_event_chain_seq_key, DROP COLUMN seq, DROP COLUMN chain;
    `);
  }
}
