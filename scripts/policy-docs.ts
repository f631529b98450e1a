/** `npm run policy:docs`: writes docs/privacy-matrix.md and docs/processing-register.md from the policy. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { privacyMatrixMarkdown, processingRegisterMarkdown } from '../src/privacy/docs/docs';

const docs = resolve(__dirname, '../../docs');
mkdirSync(docs, { recursive: true });
writeFileSync(resolve(docs, 'privacy-matrix.md'), privacyMatrixMarkdown());
writeFileSync(resolve(docs, 'processing-register.md'), processingRegisterMarkdown());
console.log(`wrote ${docs}/privacy-matrix.md and ${docs}/processing-register.md`);
