/**
 * The privacy documentation, generated from the policy declaration (`npm run policy:docs`):
 * docs/privacy-matrix.md and docs/processing-register.md. A test fails when the committed files
 * differ from what the declaration generates.
 */
import { Audience, PURPOSES, STAFF_AUDIENCES } from '../../platform/auth/audiences';
import { disclosedFields } from '../policy/disclosed-fields';
import { policy } from '../policy/policy';
import { FieldRule, STRUCTURAL, TypeRule } from '../policy/policy-types';
import {
  CONTROLLER, DATA_SUBJECTS, PURPOSE_DECLARATIONS, RECIPIENTS, RETENTION, SECURITY_MEASURES, TRANSFERS_OUTSIDE_EEA,
} from '../policy/processing';

const COLUMNS: { audience: Audience; label: string }[] = [
  { audience: 'tenant', label: 'tenant' },
  ...STAFF_AUDIENCES.map((a) => ({ audience: a, label: a.slice('staff:'.length) })),
  { audience: 'contractor', label: 'contractor' },
  { audience: 'builder', label: 'builder' },
  { audience: 'bailiff', label: 'bailiff' },
];

const HEADER = (title: string) =>
  `# ${title}\n\n_Generated from \`src/privacy/policy/policy.ts\` by \`npm run policy:docs\`. Do not edit by hand._\n\n`;

function tableTypes(): [string, TypeRule & { table: string }][] {
  return Object.entries(policy.types).filter((e): e is [string, TypeRule & { table: string }] => e[1] !== STRUCTURAL && Boolean((e[1] as TypeRule).table));
}

function cell(f: FieldRule, audience: Audience): string {
  const r = f.readers.includes(audience) ? 'R' : '';
  const w = f.writers?.includes(audience) ? 'W' : '';
  return r || w ? `${r}${w ? ` ${w}` : ''}`.trim() : '–';
}

const sqlOneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

export function privacyMatrixMarkdown(): string {
  let out = HEADER('Privacy matrix');
  out += 'R = readable, W = may change, – = never. Personal fields close when the purpose of the row has ended ';
  out += "(a contractor's order that is done). Staff columns are purposes, declared per request in `X-Purpose`; ";
  out += 'staff without a purpose read no personal field. Every field not listed here is closed.\n\n';
  out += `While a tenant's processing is restricted (art. 18), only ${policy.restriction.exempt.map((a) => `\`${a}\``).join(', ')} reach the tenant's rows.\n`;
  for (const [type, rule] of tableTypes()) {
    out += `\n## ${type}\n\n`;
    out += `| field | ${COLUMNS.map((c) => c.label).join(' | ')} | personal data |\n`;
    out += `|---|${COLUMNS.map(() => '---').join('|')}|---|\n`;
    for (const [field, f] of Object.entries(rule.fields)) {
      const personal = f.personal ? `\`${f.personal.category}\`` : '';
      out += `| ${field} | ${COLUMNS.map((c) => cell(f, c.audience)).join(' | ')} | ${personal} |\n`;
    }
    out += `\nRow scope:\n\n`;
    const scopes = Object.entries(rule.scopes ?? {});
    if (!scopes.length) out += '- no role reaches these rows\n';
    for (const [role, s] of scopes) {
      out += `- **${role}**: \`${sqlOneLine(s!.where)}\``;
      if (s!.openWhile) out += `; personal fields open while \`${s!.openWhile.field}\` is ${s!.openWhile.values.join(' or ')}`;
      if (s!.inheritsOpen) out += '; reached only through another row, open only when that row is';
      out += '\n';
    }
  }
  const entries = Object.entries(policy.types);
  out += '\n## Entry points\n\n| operation | who may call it |\n|---|---|\n';
  for (const [type, rule] of entries.filter(([t]) => t === 'Query' || t === 'Mutation')) {
    if (rule === STRUCTURAL) continue;
    for (const [field, f] of Object.entries(rule.fields)) out += `| ${type}.${field} | ${f.readers.join(', ')} |\n`;
  }
  return out;
}

interface PersonalFieldRow {
  path: string;
  category: string;
  masking: string;
}

function personalFields(): PersonalFieldRow[] {
  return tableTypes().flatMap(([type, rule]) =>
    Object.entries(rule.fields).flatMap(([field, f]) => {
      if (!f.personal) return [];
      const m = f.personal.masking;
      const masking = m.strategy === 'fixed' ? `fixed text "${m.value}"` : m.strategy === 'keep' ? `kept: ${m.reason}` : m.strategy === 'hash' ? 'keyed hash (pseudonym)' : 'erased (null)';
      return [{ path: `${type}.${field}`, category: f.personal.category, masking }];
    }),
  );
}

export function processingRegisterMarkdown(): string {
  let out = HEADER('Register of processing activities (GDPR art. 30)');
  out += `**Controller:** ${CONTROLLER}\n\n## Purposes\n\n| purpose | description | legal basis | categories of personal data read | privacy statement |\n|---|---|---|---|---|\n`;
  for (const purpose of PURPOSES) {
    const d = PURPOSE_DECLARATIONS[purpose];
    const categories = [...new Set(personalFields().filter((p) => {
      const [type, field] = p.path.split('.');
      return (policy.types[type] as TypeRule).fields[field].readers.includes(`staff:${purpose}`);
    }).map((p) => p.category))].sort();
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
