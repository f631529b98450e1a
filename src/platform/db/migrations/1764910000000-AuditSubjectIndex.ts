import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Who looked at me" as an index walk: each (tenant, event) pair of the audit trail in a table of
 * its own, keyed (tenant_id, event_id), so a tenant's newest events are the end of one key range
 * however many events the trail holds. The array's GIN index could not serve the order, and its
 * selectivity estimate sent the planner backwards through every event. A statement trigger writes
 * the pairs in the statement that appends the events, from any writer. Deleting events (retention)
 * deletes their pairs.
 */
export class AuditSubjectIndex1764910000000 implements MigrationInterface {
  name = 'AuditSubjectIndex1764910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_event_subject (
        tenant_id uuid NOT NULL,
        event_id bigint NOT NULL REFERENCES audit_event (id) ON DELETE CASCADE,
        PRIMARY KEY (tenant_id, event_id)
      );
      CREATE INDEX audit_event_subject_event_idx ON audit_event_subject (event_id);
      CREATE FUNCTION audit_event_index_subjects() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO audit_event_subject (tenant_id, event_id)
            SELECT DISTINCT subject, e.id FROM appended e CROSS JOIN LATERAL unnest(e.tenant_ids) AS subject;
          RETURN NULL;
        END $$;
      CREATE TRIGGER audit_event_index_subjects AFTER INSERT ON audit_event
        REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION audit_event_index_subjects();
      INSERT INTO audit_event_subject (tenant_id, event_id)
        SELECT DISTINCT subject, e.id FROM audit_event e CROSS JOIN LATERAL unnest(e.tenant_ids) AS subject;
      DROP INDEX audit_event_tenant_idx;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX audit_event_tenant_idx ON audit_event USING gin (tenant_ids);
      DROP TRIGGER audit_event_index_subjects ON audit_event;
      DROP FUNCTION audit_event_index_subjects();
      DROP TABLE audit_event_subject;
    `);
  }
}
