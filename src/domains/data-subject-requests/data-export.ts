import { readableFields, tableRule } from '../../privacy/policy/access';
import { PURPOSES } from '../../platform/auth/audiences';
import {
  CONTROLLER, OBJECTABLE_PURPOSES, PURPOSE_DECLARATIONS, RECIPIENTS, SUPERVISORY_AUTHORITY,
} from '../../privacy/policy/processing';
import { compiled } from '../../privacy/policy/compiled';
import { retentionRules } from '../../privacy/policy/retention';
import { SOURCES } from '../../privacy/policy/policy-types';
import { catalogOf, storedColumnOf } from '../../privacy/read/catalog';
import { quoteIdent } from '../../privacy/read/sql';
import type { ScopedReader } from '../../privacy/read/scoped-reader';
import type { AuditTrail } from '../../platform/audit/audit-trail';
import { recordPersonalReads } from '../../privacy/rules/record-reads';

/** Rows per type in an export; a tenant has far fewer. */
const EXPORT_LIMIT = 10_000;

type Section = Record<string, unknown>[];

/**
 * The tenant's own data, derived from the policy (arts. 15 and 20): every type the tenant role
 * reaches, every field the tenant may read that is stored with the row, and of each personal field
 * its label, category and source (arts. 14, 15(1)(g)). Then the recipients of the tenant's data with
 * their organisation (the disclosures the tenant may see), the purposes, the retention end of each
 * category, the state of the restriction and objection, and the right to complain. Read through the
 * tenant's own scoped reader, so another person's data (a nuisance report or its reporter, a
 * withheld disclosure) cannot enter it. Every personal field it carries is recorded in the
 * request's audit trail, as a query's would be.
 */
export async function buildDataExport(reader: ScopedReader, trail: AuditTrail): Promise<Record<string, unknown>> {
  const audience = reader.viewer.audience;
  const sections: Record<string, Section> = {};
  const personalFields: { path: string; label: string; category: string; source: string; sourceNl: string }[] = [];
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
    for (const f of fields) {
      const personal = tableRule<string>(type).field.get(f)?.personal;
      if (personal) {
        personalFields.push({
          path: `${type}.${f}`, label: personal.label, category: personal.category, source: SOURCES[personal.source].en, sourceNl: SOURCES[personal.source].nl,
        });
      }
    }
  }
  const self = (sections.Tenant?.[0] ?? {}) as { restricted?: boolean | null; objectedPurposes?: string[] | null };
  return {
    generatedAt: new Date().toISOString(),
    controller: CONTROLLER,
    data: sections,
    fields: personalFields,
    recipients: recipientsOf(sections.Disclosure ?? []),
    recipientCategories: RECIPIENTS,
    purposes: purposesThatApply(),
    retention: retentionOf(sections, await deregisteredAt(reader), await storedClocks(reader, sections)),
    rights: {
      restricted: self.restricted ?? false,
      objectedPurposes: self.objectedPurposes ?? [],
      objectablePurposes: OBJECTABLE_PURPOSES,
    },
    rightToComplain: SUPERVISORY_AUTHORITY,
  };
}

/** The recipients the tenant's data went to, one per recipient, from the disclosures the tenant may see. */
function recipientsOf(disclosures: Section) {
  const byRecipient = new Map<string, { kind: unknown; organisation: unknown; role: string | null; purposes: Set<unknown>; fields: Set<string>; lastAt: unknown }>();
  for (const d of disclosures) {
    const key = `${d.recipientKind}|${d.recipientName}`;
    const category = RECIPIENTS.find((r) => r.disclosureKind === d.recipientKind);
    const entry = byRecipient.get(key) ?? {
      kind: d.recipientKind, organisation: d.recipientName, role: category?.nl.role ?? null, purposes: new Set(), fields: new Set(), lastAt: d.disclosedAt,
    };
    entry.purposes.add(d.purpose);
    for (const f of (d.fields as string[] | null) ?? []) entry.fields.add(f);
    if (String(d.disclosedAt) > String(entry.lastAt)) entry.lastAt = d.disclosedAt;
    byRecipient.set(key, entry);
  }
  return [...byRecipient.values()].map((r) => ({ ...r, purposes: [...r.purposes], fields: [...r.fields] }));
}

/**
 * When the tenant deregistered: the date the retention of the tenant's data counts from. A stored
 * column no field serves, read for the caller's own row only (the reader's scope is the caller).
 */
async function deregisteredAt(reader: ScopedReader): Promise<Date | null> {
  const tenantId = reader.viewer.tenantId;
  if (!tenantId) return null;
  const [row] = await reader.dataSource.query('SELECT deregistered_at FROM tenant WHERE id = $1', [tenantId]);
  return row?.deregistered_at ?? null;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The retention clock of each exported category whose clock is a stored column the tenant does not
 * read as a field (when an arrears case was closed): its values for the exported rows only, by id.
 */
async function storedClocks(reader: ScopedReader, sections: Record<string, Section>): Promise<Map<string, unknown[]>> {
  const clocks = new Map<string, unknown[]>();
  for (const [category, rows] of Object.entries(sections)) {
    const rule = compiled.tableOf.get(category);
    const clock = rule?.rule.retention?.clock;
    if (!rule || !clock || (clock.kind !== 'date' && clock.kind !== 'fiscalYear')) continue;
    if (rows.some((r) => clock.field in r)) continue;
    const ids = rows.map((r) => r.id).filter((id): id is string => typeof id === 'string');
    if (!ids.length) continue;
    const column = storedColumnOf(reader.dataSource, category, clock.field);
    const found = await reader.dataSource.query(`SELECT ${quoteIdent(column)} AS clock FROM ${rule.table} WHERE id = ANY($1::uuid[])`, [ids]);
    clocks.set(category, found.map((r: { clock: unknown }) => r.clock));
  }
  return clocks;
}

/** The year of a fiscal clock: a period (`2024-03`), a date, or a timestamp. */
function yearOf(value: unknown): number {
  return value instanceof Date ? value.getUTCFullYear() : Number(String(value ?? '').slice(0, 4));
}

/**
 * Each exported category (type) with the date its data is erased, anonymised or deleted, from the
 * retention the policy declares for it: from the deregistration for what goes with the person (null
 * while the tenant has not left), from the latest fiscal year or date of the rows otherwise.
 */
function retentionOf(sections: Record<string, Section>, leftAt: Date | null, clocks: Map<string, unknown[]>) {
  const rules = new Map(retentionRules().map((r) => [r.type, r]));
  return Object.entries(sections).map(([category, rows]) => {
    const declared = compiled.tableOf.get(category)?.rule.retention;
    const rule = rules.get(category)?.period ?? null;
    // A table without personal data (an organisation's name) keeps no period.
    if (!declared) return { category, until: null, rule: rule ?? 'holds no personal data: no retention period' };
    const years = 'years' in declared.period ? declared.period.years : 0;
    const months = 'months' in declared.period ? declared.period.months : 0;
    const later = (from: Date) => {
      const end = new Date(from.getTime());
      end.setUTCFullYear(end.getUTCFullYear() + years);
      end.setUTCMonth(end.getUTCMonth() + months);
      return isoDate(end);
    };
    if (declared.clock.kind === 'fiscalYear') {
      const field = declared.clock.field;
      const fiscal = (clocks.get(category) ?? rows.map((r) => r[field])).map(yearOf).filter((y) => y > 0);
      return { category, until: fiscal.length ? `${Math.max(...fiscal) + years}-12-31` : null, rule };
    }
    if (declared.clock.kind === 'date' && category !== 'Tenant') {
      const field = declared.clock.field;
      const dates = (clocks.get(category) ?? rows.map((r) => r[field])).map((v) => new Date(v instanceof Date ? v : String(v ?? ''))).filter((d) => !Number.isNaN(d.getTime()));
      return { category, until: dates.length ? later(new Date(Math.max(...dates.map((d) => d.getTime())))) : null, rule };
    }
    return { category, until: leftAt ? later(leftAt) : null, rule };
  });
}

/** Each staff purpose with the tenant's personal fields it may read, from the policy. */
function purposesThatApply() {
  return PURPOSES.map((purpose) => {
    const fields = compiled.personal.filter((f) => f.readers.has(`staff:${purpose}`)).map((f) => `${f.path} (${f.personal!.label})`);
    return { purpose, ...PURPOSE_DECLARATIONS[purpose], fields };
  }).filter((p) => p.fields.length);
}
