/** `npm run trusted-documents`: writes trusted-documents.json from clients/*.graphql. */
import { writeFileSync } from 'node:fs';
import { manifestText, TRUSTED_DOCUMENTS_FILE, trustedDocumentManifest } from './lib/trusted-documents';

const manifest = trustedDocumentManifest();
writeFileSync(TRUSTED_DOCUMENTS_FILE, manifestText(manifest));
console.log(`wrote ${TRUSTED_DOCUMENTS_FILE}: ${manifest.operations.length} operations`);
