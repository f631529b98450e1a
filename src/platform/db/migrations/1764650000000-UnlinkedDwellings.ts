import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An anonymised person is tied to no address: erasure and retention set the dwelling of their
 * leases and work orders to null (the policy's `erasure.unlink`). Every other row keeps its dwelling:
 * a lease or work order without one is only ever an anonymised person's.
 */
export class UnlinkedDwellings1764650000000 implements MigrationInterface {
  name = 'UnlinkedDwellings1764650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE lease ALTER COLUMN dwelling_id DROP NOT NULL');
    await q.query('ALTER TABLE work_order ALTER COLUMN dwelling_id DROP NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    // Rows unlinked by an anonymisation have no dwelling to go back to: they go.
    await q.query('DELETE FROM work_order WHERE dwelling_id IS NULL');
    await q.query('ALTER TABLE work_order ALTER COLUMN dwelling_id SET NOT NULL');
    await q.query('UPDATE invoice SET lease_id = NULL WHERE lease_id IN (SELECT id FROM lease WHERE dwelling_id IS NULL)');
    await q.query('DELETE FROM arrears_case WHERE lease_id IN (SELECT id FROM lease WHERE dwelling_id IS NULL)');
    await q.query('DELETE FROM lease WHERE dwelling_id IS NULL');
    await q.query('ALTER TABLE lease ALTER COLUMN dwelling_id SET NOT NULL');
  }
}
