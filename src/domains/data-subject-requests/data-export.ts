import { readableFields } from '../../privacy/policy/access';
import { PURPOSES } from '../../platform/auth/audiences';
import { PURPOSE_DECLARATIONS, RECIPIENTS } from '../../privacy/policy/processing';
import { retentionRules } from '../../privacy/policy/retention';
import { catalogOf } from '../../privacy/read/catalog';
import { compiled } from '../../privacy/policy/compiled';
import type { ScopedReader } from '../../privacy/read/scoped-reader';
import type { AuditTrail } from '../../platform/audit/audit-trail';
import { recordPersonalReads } from '../../privacy/rules/record-reads';

/** Rows per type in an export; a tenant has far fewer. */
const EXPORT_LIMIT = 10_000;

/**
 * The tenant's own data, derived from the policy: every type the tenant role reaches, every field
 * the tenant may read that is stored with the row. Read through the tenant's own scoped reader,
 * so another person's data (a nuisance reporter, a withheld disclosure) cannot enter it. Every
 * personal field it carries is recorded in the request's audit trail, as a query's would be.
 */
export async function buildDataExport(reader: ScopedReader, trail: AuditTrail): Promise<Record<string, unknown>> {
  const audience = reader.viewer.audience;
  const sections: Record<string, unknown> = {};
  for (const rule of compiled.tables) {
    if (!rule.scopes.has('tenant')) continue;
    const type = rule.name;
    const sources = catalogOf(reader.dataSource).get(type)!;
    const fields = readableFields(type, audience, true).filter((f) => sources.get(f)?.kind !== 'relation');
    if (!fields.length) continue;
    const rows = await reader.list(type, { orderBy: { fields: [], direction: 'ASC' }, limit: EXPORT_LIMIT });
    sections[type] = rows.map((row) => {
      recordPersonalReads(trail, row, fields);
      return Object.fromEntries(fields.map((f) => [f, row[f] ?? null]));
    });
  }
  return { generatedAt: new Date().toISOString(), data: sections, purposes: purposesThatApply(), recipients: RECIPIENTS, retention: retentionRules() };
}

/** Each staff purpose with the tenant's personal fields it may read, from the policy. */
function purposesThatApply() {
  return PURPOSES.map((purpose) => {
    const fields = compiled.personal.filter((f) => f.readers.has(`staff:${purpose}`)).map((f) => `${f.path} (${f.personal!.label})`);
    return { purpose, ...PURPOSE_DECLARATIONS[purpose], fields };
  }).filter((p) => p.fields.length);
}
