import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail partitioned by month of `at`, and its tenant index by the same month, so that
 * retention drops a month's partitions instead of deleting its rows one by one, and an INSERT costs
 * the same however many events the trail holds. `audit_ensure_partition(month)` creates a month's
 * pair of partitions; the server calls it for the months ahead. A default partition takes an event
 * no month partition holds yet (a clock far off), so an audit write never fails for want of one.
 *
 * A partitioned table's unique keys must hold the partition key: the primary key is (id, at), and
 * (chain, seq, id) is an ordinary index (`audit:verify` walks it and refuses a repeated seq). The tenant index
 * carries its event's `at` and no foreign key: both go with their month, and the row-wise
 * retirement deletes both.
 */
export class AuditPartitions1764990000000 implements MigrationInterface {
  name = 'AuditPartitions1764990000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER SEQUENCE audit_event_id_seq OWNED BY NONE;
      ALTER TABLE audit_event RENAME TO audit_event_unpartitioned;
      ALTER TABLE audit_event_subject RENAME TO audit_event_subject_unpartitioned;
      CREATE TABLE audit_event (
        id bigint NOT NULL DEFAULT nextval('audit_event_id_seq'),
        at timestamptz NOT NULL DEFAULT now(),
        actor_sub text NOT NULL,
        role text NOT NULL,
        org_id uuid,
        purpose text,
        operation text NOT NULL,
        tenant_ids uuid[] NOT NULL,
        fields text[] NOT NULL,
        prev_hash text,
        hash text NOT NULL,
        chain text NOT NULL,
        seq bigint NOT NULL
      ) PARTITION BY RANGE (at);
      ALTER SEQUENCE audit_event_id_seq OWNED BY audit_event.id;
      CREATE TABLE audit_event_subject (
        tenant_id uuid NOT NULL,
        event_id bigint NOT NULL,
        event_at timestamptz NOT NULL
      ) PARTITION BY RANGE (event_at);
      CREATE TABLE audit_event_p_default PARTITION OF audit_event DEFAULT;
      CREATE TABLE audit_event_subject_p_default PARTITION OF audit_event_subject DEFAULT;
      CREATE FUNCTION audit_ensure_partition(month date) RETURNS boolean LANGUAGE plpgsql AS $$
        DECLARE
          start timestamptz := date_trunc('month', month::timestamp) AT TIME ZONE 'UTC';
          stop timestamptz := (date_trunc('month', month::timestamp) + interval '1 month') AT TIME ZONE 'UTC';
          suffix text := to_char(month, '"p"YYYY_MM');
        BEGIN
          -- Two processes starting at once (WORKERS, instances) make a month once: the second waits, then finds it.
          PERFORM pg_advisory_xact_lock(hashtext('audit_ensure_partition'));
          IF to_regclass('audit_event_' || suffix) IS NOT NULL THEN RETURN false; END IF;
          -- Rows of that month already in the default partition: the month stays there.
          IF EXISTS (SELECT 1 FROM audit_event_p_default WHERE at >= start AND at < stop) THEN RETURN false; END IF;
          EXECUTE format('CREATE TABLE %I PARTITION OF audit_event FOR VALUES FROM (%L) TO (%L)', 'audit_event_' || suffix, start, stop);
          EXECUTE format('CREATE TABLE %I PARTITION OF audit_event_subject FOR VALUES FROM (%L) TO (%L)', 'audit_event_subject_' || suffix, start, stop);
          RETURN true;
        END $$;
    `);
    // Every month the trail already spans, and the next three.
    await q.query(`
      SELECT audit_ensure_partition(m::date) FROM generate_series(
        date_trunc('month', COALESCE((SELECT min(at) FROM audit_event_unpartitioned), now()) AT TIME ZONE 'UTC'),
        date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months', interval '1 month') AS m`);
    await q.query(`
      INSERT INTO audit_event (id, at, actor_sub, role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash, chain, seq)
        SELECT id, at, actor_sub, role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash, chain, seq FROM audit_event_unpartitioned;
      INSERT INTO audit_event_subject (tenant_id, event_id, event_at)
        SELECT x.tenant_id, x.event_id, e.at FROM audit_event_subject_unpartitioned x JOIN audit_event_unpartitioned e ON e.id = x.event_id;
      DROP TABLE audit_event_subject_unpartitioned;
      DROP TABLE audit_event_unpartitioned;
      ALTER TABLE audit_event ADD CONSTRAINT audit_event_pkey PRIMARY KEY (id, at);
      CREATE INDEX audit_event_chain_seq_idx ON audit_event (chain, seq, id);
      CREATE INDEX audit_event_at_idx ON audit_event (at);
      CREATE INDEX audit_event_chain_start_idx ON audit_event (prev_hash) WHERE seq = 1;
      ALTER TABLE audit_event_subject ADD CONSTRAINT audit_event_subject_pkey PRIMARY KEY (tenant_id, event_id, event_at);
      CREATE INDEX audit_event_subject_event_idx ON audit_event_subject (event_id);
      CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
      CREATE OR REPLACE FUNCTION audit_event_index_subjects() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO audit_event_subject (tenant_id, event_id, event_at)
            SELECT DISTINCT subject, e.id, e.at FROM appended e CROSS JOIN LATERAL unnest(e.tenant_ids) AS subject;
          RETURN NULL;
        END $$;
      CREATE TRIGGER audit_event_index_subjects AFTER INSERT ON audit_event
        REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION audit_event_index_subjects();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER SEQUENCE audit_event_id_seq OWNED BY NONE;
      ALTER TABLE audit_event RENAME TO audit_event_partitioned;
      ALTER TABLE audit_event_subject RENAME TO audit_event_subject_partitioned;
      ALTER TABLE audit_event_partitioned RENAME CONSTRAINT audit_event_pkey TO audit_event_partitioned_pkey;
      ALTER TABLE audit_event_subject_partitioned RENAME CONSTRAINT audit_event_subject_pkey TO audit_event_subject_partitioned_pkey;
      ALTER INDEX audit_event_at_idx RENAME TO audit_event_partitioned_at_idx;
      ALTER INDEX audit_event_chain_start_idx RENAME TO audit_event_partitioned_chain_start_idx;
      ALTER INDEX audit_event_subject_event_idx RENAME TO audit_event_subject_partitioned_event_idx;
      CREATE TABLE audit_event (
        id bigint PRIMARY KEY DEFAULT nextval('audit_event_id_seq'),
        at timestamptz NOT NULL DEFAULT now(),
        actor_sub text NOT NULL, role text NOT NULL, org_id uuid, purpose text, operation text NOT NULL,
        tenant_ids uuid[] NOT NULL, fields text[] NOT NULL, prev_hash text, hash text NOT NULL,
        chain text NOT NULL, seq bigint NOT NULL,
        CONSTRAINT audit_event_chain_seq_key UNIQUE (chain, seq)
      );
      ALTER SEQUENCE audit_event_id_seq OWNED BY audit_event.id;
      INSERT INTO audit_event SELECT id, at, actor_sub, role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash, chain, seq
        FROM audit_event_partitioned;
      CREATE TABLE audit_event_subject (
        tenant_id uuid NOT NULL,
        event_id bigint NOT NULL REFERENCES audit_event (id) ON DELETE CASCADE,
        PRIMARY KEY (tenant_id, event_id)
      );
      INSERT INTO audit_event_subject SELECT tenant_id, event_id FROM audit_event_subject_partitioned;
      DROP TABLE audit_event_subject_partitioned;
      DROP TABLE audit_event_partitioned;
      DROP FUNCTION audit_ensure_partition(date);
      CREATE INDEX audit_event_subject_event_idx ON audit_event_subject (event_id);
      CREATE INDEX audit_event_at_idx ON audit_event (at);
      CREATE INDEX audit_event_chain_start_idx ON audit_event (prev_hash) WHERE seq = 1;
      CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
      CREATE OR REPLACE FUNCTION audit_event_index_subjects() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO audit_event_subject (tenant_id, event_id)
            SELECT DISTINCT subject, e.id FROM appended e CROSS JOIN LATERAL unnest(e.tenant_ids) AS subject;
          RETURN NULL;
        END $$;
      CREATE TRIGGER audit_event_index_subjects AFTER INSERT ON audit_event
        REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION audit_event_index_subjects();
    `);
  }
}
