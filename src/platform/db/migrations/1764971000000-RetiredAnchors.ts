import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A chain starts anchored to the newest event of another chain. When the retention job retires that
 * event, `audit_retired_anchor` keeps its hash under a keyed MAC, so `audit:verify` still tells an
 * anchor gone by retention from one deleted by hand. The partial index finds the chains' first
 * events (one per chain) without scanning the trail.
 */
export class RetiredAnchors1764971000000 implements MigrationInterface {
  name = 'RetiredAnchors1764971000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_retired_anchor (
        hash text PRIMARY KEY,
        chain text NOT NULL,
        seq bigint NOT NULL,
        keyed boolean NOT NULL,
        mac text NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_event_chain_start_idx ON audit_event (prev_hash) WHERE seq = 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_event_chain_start_idx`);
    await q.query(`DROP TABLE audit_retired_anchor`);
  }
}
