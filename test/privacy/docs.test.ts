import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { privacyMatrixMarkdown, processingRegisterMarkdown } from '../../src/privacy/docs/docs';
import { personalFieldPaths } from '../../src/privacy/policy/disclosed-fields';
import { PURPOSES } from '../../src/platform/auth/audiences';

const committed = (name: string) => readFileSync(resolve(__dirname, '../../docs', name), 'utf8');

test('docs/privacy-matrix.md is what the policy generates (run `npm run policy:docs`)', () => {
  expect(committed('privacy-matrix.md')).toBe(privacyMatrixMarkdown());
});

test('docs/processing-register.md is what the policy generates (run `npm run policy:docs`)', () => {
  expect(committed('processing-register.md')).toBe(processingRegisterMarkdown());
});

test('the matrix shows the policy: a contractor reads the phone but not the IBAN', () => {
  const tenant = privacyMatrixMarkdown().split('## Tenant\n')[1].split('\n## ')[0];
  const row = (field: string) => tenant.split('\n').find((l) => l.startsWith(`| ${field} |`))!.split('|').map((c) => c.trim());
  const contractorColumn = 1 + 1 + 7 + 1; // leading empty cell, field, tenant, 7 purposes
  expect(row('phone')[contractorColumn]).toBe('R');
  expect(row('iban')[contractorColumn]).toBe('–');
});

describe('the art. 30 register', () => {
  const register = processingRegisterMarkdown();
  const section = (title: string) => register.split(`## ${title}\n`)[1].split('\n## ')[0];

  test('names the controller with the contact the statement gives, and the privacy officer', () => {
    expect(section('Verwerkingsverantwoordelijke')).toContain('mail@mijande.nl');
    expect(section('Verwerkingsverantwoordelijke')).toMatch(/Privacy officer/);
  });

  test('lists every purpose, the website, the account and the audit trail itself, each with a legal basis', () => {
    const rows = section('Verwerkingen en hun doelen').split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| verwerking'));
    for (const purpose of PURPOSES) expect(rows.some((r) => r.startsWith(`| ${purpose} |`))).toBe(true);
    for (const name of ['cookies', 'Gebruikersaccount', 'Auditlog']) expect(rows.some((r) => r.includes(name))).toBe(true);
    for (const r of rows) expect(r.split('|')[3]).toMatch(/art\. 6 lid 1 sub [a-f]/);
  });

  test('names employees and external users among the data subjects, whose ids the audit trail holds', () => {
    expect(section('Categorieën betrokkenen')).toMatch(/Medewerkers.*auditlog/);
    expect(section('Categorieën betrokkenen')).toMatch(/Externe gebruikers.*auditlog/);
  });

  test('lists every personal field the policy declares, and every recipient as processor or controller', () => {
    const categories = section('Categorieën persoonsgegevens');
    for (const path of personalFieldPaths()) expect(categories).toContain(`| ${path} |`);
    const recipients = section('Ontvangers').split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ontvanger'));
    expect(recipients.length).toBeGreaterThanOrEqual(4);
    for (const r of recipients) expect(r.split('|')[2]).toMatch(/verwerker|verwerkingsverantwoordelijke/);
  });
});
