/**
 * `npm run trusted-documents`: writes trusted-documents.json from clients/*.graphql, and
 * trusted-documents.operations.json from operations/*.graphql.
 */
import { writeFileSync } from 'node:fs';
import {
  manifestText, OPERATIONS_DIR, OPERATIONS_MANIFEST_FILE, repeatedNames, TRUSTED_DOCUMENTS_FILE, trustedDocumentManifest,
} from './lib/trusted-documents';

const apps = trustedDocumentManifest();
const operations = trustedDocumentManifest(OPERATIONS_DIR);
const twice = repeatedNames([...apps.operations, ...operations.operations]);
if (twice.length) throw new Error(`operations/ uses names the apps' documents use: ${twice.join(', ')}`);
writeFileSync(TRUSTED_DOCUMENTS_FILE, manifestText(apps));
writeFileSync(OPERATIONS_MANIFEST_FILE, manifestText(operations));
console.log(`wrote ${TRUSTED_DOCUMENTS_FILE}: ${apps.operations.length} operations`);
console.log(`wrote ${OPERATIONS_MANIFEST_FILE}: ${operations.operations.length} operations`);
