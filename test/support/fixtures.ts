import { DataSource } from 'typeorm';

/** Seeded rows the tests need, found by what they are rather than by hard-coded ids. */
export interface Fixtures {
  /** An active tenant with a running lease, invoices, an arrears case, a nuisance case and a disclosure. */
  tenantId: string;
  otherTenantId: string;
  contractorId: string;
  otherContractorId: string;
  openOrderId: string;
  openOrderTenantId: string;
  doneOrderId: string;
  otherContractorsOrderId: string;
  builderId: string;
  runningProjectId: string;
  finishedProjectId: string;
  bailiffId: string;
  handedOverCaseId: string;
  handedOverTenantId: string;
  notHandedOverCaseId: string;
  otherBailiffsCaseId: string;
}

async function one(ds: DataSource, sql: string, params: unknown[] = []): Promise<string> {
  const rows = await ds.query(sql, params);
  if (!rows.length) throw new Error(`fixture not found in seeded data: ${sql}`);
  return rows[0].id;
}

export async function findFixtures(ds: DataSource): Promise<Fixtures> {
  const tenantId = await one(ds, `
    SELECT t.id FROM tenant t
    WHERE t.status = 'ACTIVE' AND t.email IS NOT NULL AND t.iban IS NOT NULL AND t.date_of_birth IS NOT NULL
      AND NOT t.restricted AND t.objected_purposes = '{}'
      AND EXISTS (SELECT 1 FROM lease l WHERE l.tenant_id = t.id AND l.end_date IS NULL)
      AND EXISTS (SELECT 1 FROM invoice i WHERE i.tenant_id = t.id)
      AND EXISTS (SELECT 1 FROM arrears_case a WHERE a.tenant_id = t.id)
      AND EXISTS (SELECT 1 FROM nuisance_case n WHERE n.tenant_id = t.id AND n.reported_by_id IS NOT NULL)
      AND EXISTS (SELECT 1 FROM work_order w WHERE w.tenant_id = t.id)
    -- Preferably one without a seeded restriction, objection or erasure request that another test
    -- file may carry out meanwhile, closing the tenant to the purposes this one reads it as.
    ORDER BY EXISTS (SELECT 1 FROM data_subject_request r WHERE r.tenant_id = t.id AND r.kind IN ('RESTRICTION', 'OBJECTION', 'ERASURE')), t.id
    LIMIT 1`);
  const otherTenantId = await one(ds, `SELECT id FROM tenant WHERE status = 'ACTIVE' AND id <> $1 ORDER BY id LIMIT 1`, [tenantId]);
  const contractorId = await one(ds, `
    SELECT o.id FROM organization o WHERE o.kind = 'CONTRACTOR'
      AND EXISTS (SELECT 1 FROM work_order w WHERE w.contractor_id = o.id AND w.status = 'ASSIGNED')
      AND EXISTS (SELECT 1 FROM work_order w WHERE w.contractor_id = o.id AND w.status = 'DONE')
    ORDER BY o.name LIMIT 1`);
  const otherContractorId = await one(ds, `SELECT id FROM organization WHERE kind = 'CONTRACTOR' AND id <> $1 ORDER BY name LIMIT 1`, [contractorId]);
  const openOrder = (await ds.query(
    `SELECT id, tenant_id FROM work_order WHERE contractor_id = $1 AND status IN ('ASSIGNED','IN_PROGRESS') ORDER BY id LIMIT 1`,
    [contractorId],
  ))[0];
  const doneOrderId = await one(ds, `SELECT id FROM work_order WHERE contractor_id = $1 AND status = 'DONE' ORDER BY id LIMIT 1`, [contractorId]);
  const otherContractorsOrderId = await one(ds, `SELECT id FROM work_order WHERE contractor_id = $1 AND status = 'ASSIGNED' ORDER BY id LIMIT 1`, [otherContractorId]);
  const builderId = await one(ds, `
    SELECT o.id FROM organization o WHERE o.kind = 'BUILDER'
      AND EXISTS (SELECT 1 FROM renovation_project p WHERE p.builder_id = o.id AND CURRENT_DATE BETWEEN p.starts_on AND p.ends_on)
      AND EXISTS (SELECT 1 FROM renovation_project p WHERE p.builder_id = o.id AND p.ends_on < CURRENT_DATE)
    ORDER BY o.name LIMIT 1`);
  const runningProjectId = await one(ds, `SELECT id FROM renovation_project WHERE builder_id = $1 AND CURRENT_DATE BETWEEN starts_on AND ends_on ORDER BY id LIMIT 1`, [builderId]);
  const finishedProjectId = await one(ds, `SELECT id FROM renovation_project WHERE builder_id = $1 AND ends_on < CURRENT_DATE ORDER BY id LIMIT 1`, [builderId]);
  const bailiffId = await one(ds, `
    SELECT o.id FROM organization o WHERE o.kind = 'BAILIFF'
      AND EXISTS (SELECT 1 FROM arrears_case a WHERE a.bailiff_id = o.id AND a.status = 'HANDED_TO_BAILIFF')
    ORDER BY o.name LIMIT 1`);
  const handedOver = (await ds.query(
    `SELECT id, tenant_id FROM arrears_case WHERE bailiff_id = $1 AND status = 'HANDED_TO_BAILIFF' ORDER BY id LIMIT 1`,
    [bailiffId],
  ))[0];
  const notHandedOverCaseId = await one(ds, `SELECT id FROM arrears_case WHERE status = 'OPEN' ORDER BY id LIMIT 1`);
  const otherBailiffsCaseId = await one(ds, `SELECT id FROM arrears_case WHERE status = 'HANDED_TO_BAILIFF' AND bailiff_id <> $1 ORDER BY id LIMIT 1`, [bailiffId]);
  return {
    tenantId, otherTenantId, contractorId, otherContractorId,
    openOrderId: openOrder.id, openOrderTenantId: openOrder.tenant_id, doneOrderId, otherContractorsOrderId,
    builderId, runningProjectId, finishedProjectId,
    bailiffId, handedOverCaseId: handedOver.id, handedOverTenantId: handedOver.tenant_id,
    notHandedOverCaseId, otherBailiffsCaseId,
  };
}
