import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A contractor's orders by status: the count of "my open orders" reads only the entries of those
 * statuses, not every order the contractor ever had (the largest holds a third of all orders).
 */
export class ContractorStatusIndex1764920000000 implements MigrationInterface {
  name = 'ContractorStatusIndex1764920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX work_order_contractor_status_idx ON work_order (contractor_id, status)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX work_order_contractor_status_idx');
  }
}
