import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A contractor reaches a tenant or a dwelling through one of its work orders
 * (`EXISTS (… w.tenant_id = tenant.id AND w.contractor_id = :orgId)`, same for dwellings). With
 * these two indexes that check is one index probe per row asked for, instead of a scan of all the
 * contractor's orders for every batch. The tenant one replaces the index on tenant_id alone.
 */
export class ContractorScopeIndexes1763900300000 implements MigrationInterface {
  name = 'ContractorScopeIndexes1763900300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX work_order_tenant_contractor_idx ON work_order (tenant_id, contractor_id)');
    await q.query('DROP INDEX work_order_tenant_idx');
    await q.query('CREATE INDEX work_order_dwelling_contractor_idx ON work_order (dwelling_id, contractor_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX work_order_dwelling_contractor_idx');
    await q.query('CREATE INDEX work_order_tenant_idx ON work_order (tenant_id)');
    await q.query('DROP INDEX work_order_tenant_contractor_idx');
  }
}
