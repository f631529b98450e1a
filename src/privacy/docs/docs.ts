/**
 * The privacy documentation, generated from the policy declaration (`npm run policy:docs`):
 * docs/privacy-matrix.md and docs/processing-register.md. A test fails when the committed files
 * differ from what the declaration generates.
 */
import { Audience, PURPOSES, Role, ROLES, STAFF_AUDIENCES } from '../../platform/auth/audiences';
import { compiled, CompiledField } from '../policy/compiled';
import { type Masking, SOURCES } from '../policy/policy-types';
import { disclosedFields } from '../policy/disclosed-fields';
import { docSql } from '../policy/scope-expr';
import { labelOf } from '../policy/field-labels';
import { retentionRules } from '../policy/retention';
import {
  CONTROLLER, DATA_SUBJECTS_NL, OTHER_PROCESSING, PURPOSE_DECLARATIONS, RECIPIENTS, SECURITY_MEASURES_NL, TRANSFERS_OUTSIDE_EEA_NL,
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
  out += `Once the privacy officer upholds a tenant's objection (art. 21) to a purpose resting on legitimate interest, `;
  out += `${[...compiled.objectable.keys()].map((a) => `\`${a}\``).join(', ')} no longer reach that tenant's rows for the purpose objected to.\n`;
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
      const also = f.personal!.alsoAbout ? `; also when the person of ${f.personal!.alsoAbout} is anonymised` : '';
      return { field: f, path: f.path, category: f.personal!.category, masking: maskingEn(f.personal!.masking) + also };
    }),
  );
}

/** What the register says of a personal field beyond its category: where it comes from and whether it risks art. 9/10 data. */
function registerFacts(f: CompiledField): { source: string; warning: string } {
  const p = f.personal;
  const warning = (p?.special ?? []).map((a) => `⚠ ${a === 'art10' ? 'strafrechtelijke gegevens (art. 10 AVG)' : 'bijzondere persoonsgegevens (art. 9 AVG)'}`).join('; ');
  return { source: p ? SOURCES[p.source].nl : '', warning };
}

function maskingNl(f: CompiledField): string {
  const m = f.personal!.masking;
  const also = f.personal!.alsoAbout ? `, ook wanneer de persoon van ${f.personal!.alsoAbout} wordt geanonimiseerd` : '';
  return maskingOnlyNl(m) + also;
}

function maskingEn(m: Masking): string {
  if (m.strategy === 'fixed') return `fixed text "${m.value}"`;
  if (m.strategy === 'keep') return `kept: ${m.reason}`;
  if (m.strategy === 'endNow') return `ended at the anonymisation where still open, then kept: ${m.reason}`;
  return 'erased (null)';
}

function maskingOnlyNl(m: Masking): string {
  if (m.strategy === 'fixed') return `vaste tekst "${m.value}"`;
  if (m.strategy === 'keep') return `bewaard (${m.reason})`;
  if (m.strategy === 'endNow') return `beëindigd bij het anonimiseren als dat nog niet was gebeurd, daarna bewaard (${m.reason})`;
  return 'gewist (leeg)';
}

/** The categories of personal data a staff purpose reads, by their Dutch labels. */
function labelsReadBy(audience: Audience): string {
  return [...new Set(personalFields().filter((p) => p.field.readers.has(audience)).map((p) => p.field.personal!.label))].sort((a, b) => a.localeCompare(b, 'nl')).join(', ');
}

/** The register of processing activities (GDPR art. 30(1)), in Dutch, as the Autoriteit Persoonsgegevens reads it. */
export function processingRegisterMarkdown(): string {
  let out = `# Verwerkingsregister (artikel 30 AVG)\n\n_Gegenereerd uit \`src/privacy/policy/policy.ts\` door \`npm run policy:docs\`. Niet met de hand bewerken._ `;
  out += 'Welke rol en welk doel welk veld mag lezen of wijzigen staat in de Engelstalige [privacymatrix](privacy-matrix.md).\n\n';
  out += `## Verwerkingsverantwoordelijke\n\n- **Naam:** ${CONTROLLER.name}\n- **Contact:** ${CONTROLLER.contact}\n- **Privacy officer:** ${CONTROLLER.privacyOfficer}\n`;
  out += '\n## Verwerkingen en hun doelen\n\n| verwerking | doel | rechtsgrond | persoonsgegevens | uit het privacy statement |\n|---|---|---|---|---|\n';
  for (const purpose of PURPOSES) {
    const d = PURPOSE_DECLARATIONS[purpose];
    out += `| ${purpose} | ${d.nl.description} | ${d.nl.legalBasis} | ${labelsReadBy(`staff:${purpose}`)} | "${d.statement}" |\n`;
  }
  out += `| Huurder (MijnMijande, de huurders-app) | De huurder ziet de eigen gegevens, corrigeert ze en oefent de rechten uit | Uitvoering van de huurovereenkomst (art. 6 lid 1 sub b AVG) | ${labelsReadBy('tenant')} | "u een gebruikersaccount op MijnMijande maakt" |\n`;
  for (const o of OTHER_PROCESSING) out += `| ${o.name} | ${o.description} | ${o.legalBasis} | ${o.data} | |\n`;
  out += '\nBetrokkenen en bewaartermijnen van de verwerkingen buiten de doelen van de medewerkers:\n\n';
  for (const o of OTHER_PROCESSING) out += `- **${o.name}**: betrokkenen: ${o.subjects}. Bewaartermijn: ${o.retention}.\n`;
  out += '\n## Categorieën betrokkenen\n\n';
  for (const s of DATA_SUBJECTS_NL) out += `- **${s.kind}**: ${s.description}\n`;
  out += '\n## Categorieën persoonsgegevens\n\n| gegeven | veld | categorie | let op | bron | bij verwijdering of na de bewaartermijn |\n|---|---|---|---|---|---|\n';
  for (const p of personalFields()) {
    const facts = registerFacts(p.field);
    out += `| ${p.field.personal!.label} | ${p.path} | \`${p.category}\` | ${facts.warning} | ${facts.source} | ${maskingNl(p.field)} |\n`;
  }
  out += '\n## Ontvangers\n\n| ontvanger | als | doel | wanneer | persoonsgegevens |\n|---|---|---|---|---|\n';
  for (const r of RECIPIENTS) {
    const fields = r.audience ? disclosedFields(r.audience).map((f) => labelOf(f)).join(', ') : r.recipient.startsWith('iDEAL') ? 'geen (bedrag en kenmerk)' : 'wat de wet verplicht, per verstrekking vastgelegd';
    out += `| ${r.nl.recipient} | ${r.nl.role} | ${r.purpose} | ${r.nl.when} | ${fields} |\n`;
  }
  out += `\n## Doorgifte buiten de EER\n\n${TRANSFERS_OUTSIDE_EEA_NL}\n\n## Bewaartermijnen\n\n`;
  for (const r of retentionRules()) out += `- **${r.data}**: ${r.period}. ${r.nl}\n`;
  out += '\n## Beveiligingsmaatregelen (art. 32 AVG)\n\n';
  for (const m of SECURITY_MEASURES_NL) out += `- ${m}\n`;
  return out;
}
