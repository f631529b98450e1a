import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { privacyMatrixMarkdown, processingRegisterMarkdown } from '../../src/privacy/docs/docs';

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
