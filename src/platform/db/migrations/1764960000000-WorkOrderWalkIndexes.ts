import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Work order lists and their bounded counts as index walks at a million people (issue 17):
 *
 * - staff's open orders (`status = ANY(…)` newest first) walk `(created_at, id)` backwards and
 *   filter the status, so a page reads about a page of rows; `(status, created_at, id)` cannot give
 *   that order for several statuses at once, and the planner sorted every open order instead;
 * - a count stops at its bound only if it is an index-only scan: a bitmap scan reads every entry of
 *   the key first (the largest contractor's third of all orders). Every row scope checks the row's
 *   tenant against the restricted ones, so the count's indexes carry `tenant_id` as well.
 */
export class WorkOrderWalkIndexes1764960000000 implements MigrationInterface {
  name = 'WorkOrderWalkIndexes1764960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX work_order_created_idx ON work_order (created_at, id);
      DROP INDEX work_order_contractor_status_idx;
      CREATE INDEX work_order_contractor_status_idx ON work_order (contractor_id, status) INCLUDE (tenant_id);
      DROP INDEX work_order_status_idx;
      CREATE INDEX work_order_status_idx ON work_order (status, created_at, id) INCLUDE (tenant_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX work_order_status_idx;
      CREATE INDEX work_order_status_idx ON work_order (status, created_at, id);
      DROP INDEX work_order_contractor_status_idx;
      CREATE INDEX work_order_contractor_status_idx ON work_order (contractor_id, status);
      DROP INDEX work_order_created_idx;
    `);
  }
}
