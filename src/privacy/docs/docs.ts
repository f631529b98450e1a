/**
 * The privacy documentation, generated from the policy declaration (`npm run policy:docs`):
 * docs/privacy-matrix.md and docs/processing-register.md. A test fails when the committed files
 * differ from what the declaration generates.
 */
import { Audience, PURPOSES, Role, ROLES, STAFF_AUDIENCES } from '../../platform/auth/audiences';
import { compiled, CompiledField } from '../policy/compiled';
import { disclosedFields } from '../policy/disclosed-fields';
import { docSql } from '../policy/scope-expr';
import {
  CONTROLLER, DATA_SUBJECTS, PURPOSE_DECLARATIONS, RECIPIENTS, RETENTION, SECURITY_MEASURES, TRANSFERS_OUTSIDE_EEA,
} from '../policy/processing';

/** The matrix's columns, role by role; staff is a column per purpose (a staff member without one reads nothing personal). */
const COLUMNS = ROLES.flatMap((role: Role): { audience: Audience; label: string }[] => role === 'staff'
  ? STAFF_AUDIENCES.map((a) => ({ audience: a, label: a.slice('staff:'.length) }))
  : [{ audience: role, label: role }]);

const HEADER = (title: string) =>
  `# ${title}\n\n_Generated from \`src/privacy/policy/policy.ts\` by \`npm run policy:docs\`. Do not edit by hand._\n\n`;

function cell(f: CompiledField, audience: Audience): string {
  const r = f.readers.has(audience) ? 'R' : '';
  const w = f.writers.has(audience) ? 'W' : '';
  return r || w ? `${r}${w ? ` ${w}` : ''}`.trim() : '–';
}

export function privacyMatrixMarkdown(): string {
  let out = HEADER('Privacy matrix');
  out += 'R = readable, W = may change, – = never. Personal fields close when the purpose of the row has ended ';
  out += "(a contractor's order that is done). Staff columns are purposes, declared per request in `X-Purpose`; ";
  out += 'staff without a purpose read no personal field. Every field not listed here is closed.\n\n';
  out += `While a tenant's processing is restricted (art. 18), only ${[...compiled.restrictionExempt].map((a) => `\`${a}\``).join(', ')} reach the tenant's rows.\n`;
  for (const rule of compiled.tables) {
    out += `\n## ${rule.name}\n\n`;
    out += `| field | ${COLUMNS.map((c) => c.label).join(' | ')} | personal data |\n`;
    out += `|---|${COLUMNS.map(() => '---').join('|')}|---|\n`;
    for (const f of rule.fields) {
      const personal = f.personal ? `\`${f.personal.category}\`` : '';
      out += `| ${f.name} | ${COLUMNS.map((c) => cell(f, c.audience)).join(' | ')} | ${personal} |\n`;
    }
    out += `\nRow scope:\n\n`;
    if (!rule.scopes.size) out += '- no role reaches these rows\n';
    for (const { role, rule: s } of rule.scopes.values()) {
      out += `- **${role}**: \`${docSql(s.where)}\``;
      if (s.openWhile) out += `; personal fields open while \`${s.openWhile.field}\` is ${s.openWhile.values.join(' or ')}`;
      if (s.inheritsOpen) out += '; reached only through another row, open only when that row is';
      out += '\n';
    }
  }
  out += '\n## Entry points\n\n| operation | who may call it |\n|---|---|\n';
  for (const f of compiled.entryPoints) out += `| ${f.path} | ${f.rule.readers.join(', ')} |\n`;
  return out;
}

interface PersonalFieldRow {
  field: CompiledField;
  path: string;
  category: string;
  masking: string;
}

function personalFields(): PersonalFieldRow[] {
  return compiled.tables.flatMap((rule) =>
    rule.personal.map((f) => {
      const m = f.personal!.masking;
      const masking = m.strategy === 'fixed' ? `fixed text "${m.value}"` : m.strategy === 'keep' ? `kept: ${m.reason}` : m.strategy === 'hash' ? 'keyed hash (pseudonym)' : 'erased (null)';
      return { field: f, path: f.path, category: f.personal!.category, masking };
    }),
  );
}

export function processingRegisterMarkdown(): string {
  let out = HEADER('Register of processing activities (GDPR art. 30)');
  out += `**Controller:** ${CONTROLLER}\n\n## Purposes\n\n| purpose | description | legal basis | categories of personal data read | privacy statement |\n|---|---|---|---|---|\n`;
  for (const purpose of PURPOSES) {
    const d = PURPOSE_DECLARATIONS[purpose];
    const categories = [...new Set(personalFields().filter((p) => p.field.readers.has(`staff:${purpose}`)).map((p) => p.category))].sort();
    out += `| ${purpose} | ${d.description} | ${d.legalBasis} | ${categories.map((c) => `\`${c}\``).join(', ')} | "${d.statement}" |\n`;
  }
  out += '\n## Categories of data subjects\n\n';
  for (const s of DATA_SUBJECTS) out += `- **${s.kind}**: ${s.description}\n`;
  out += '\n## Categories of personal data\n\n| field | category | when erased or anonymised |\n|---|---|---|\n';
  for (const p of personalFields()) out += `| ${p.path} | \`${p.category}\` | ${p.masking} |\n`;
  out += '\n## Recipients\n\n| recipient | purpose | when | personal data received |\n|---|---|---|---|\n';
  for (const r of RECIPIENTS) {
    const fields = r.audience ? disclosedFields(r.audience).join(', ') : r.recipient.startsWith('iDEAL') ? 'none (amount and reference)' : 'as the law obliges, recorded per disclosure';
    out += `| ${r.recipient} | ${r.purpose} | ${r.when} | ${fields} |\n`;
  }
  out += `\n## Transfers outside the EEA\n\n${TRANSFERS_OUTSIDE_EEA}\n\n## Retention\n\n`;
  for (const r of RETENTION.rules) out += `- **${r.data}**: ${r.period}\n`;
  out += '\n## Security measures\n\n';
  for (const m of SECURITY_MEASURES) out += `- ${m}\n`;
  return out;
}
