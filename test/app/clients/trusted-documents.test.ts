/**
 * trusted-documents.json is generated from clients/*.graphql (`npm run trusted-documents`) and
 * committed: it fails here when it is stale, when an id is not the sha256 of its text, or when the
 * apps' documents beside the repository (../shared/clients, when there) would give another list.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { manifestText, TRUSTED_DOCUMENTS_FILE, trustedDocumentManifest } from '../../../scripts/lib/trusted-documents';
import { clientOperation, clientOperationNames, CLIENTS_COPY_DIR, SHARED_CLIENTS_DIR } from '../../support/clients';

const committed = () => readFileSync(TRUSTED_DOCUMENTS_FILE, 'utf8');

test('trusted-documents.json is what npm run trusted-documents writes from clients/', () => {
  // On failure: npm run trusted-documents, review the diff, commit it.
  expect(committed()).toBe(manifestText(trustedDocumentManifest(CLIENTS_COPY_DIR)));
});

test('every operation of every client file is listed once, its id the sha256 of its text', () => {
  const manifest = JSON.parse(committed());
  const names = clientOperationNames(undefined, CLIENTS_COPY_DIR);
  expect(manifest.operations.map((o: { name: string }) => o.name).sort()).toEqual(names.map((n) => n.name).sort());
  for (const { file, name } of names) {
    const entry = manifest.operations.find((o: { name: string }) => o.name === name);
    expect(entry.body).toBe(clientOperation(file, name, CLIENTS_COPY_DIR));
    expect(entry.id).toBe(createHash('sha256').update(entry.body).digest('hex'));
  }
});

(existsSync(SHARED_CLIENTS_DIR) ? test : test.skip)('../shared/clients gives the same list', () => {
  expect(manifestText(trustedDocumentManifest(SHARED_CLIENTS_DIR))).toBe(committed());
});
