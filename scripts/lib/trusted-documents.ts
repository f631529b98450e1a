/**
 * The trusted documents manifest: every named operation of the apps' documents in `clients/` (the
 * repository's copy of ../shared/clients), each with the fragments it uses, exactly as the server
 * accepts its text, and its id (the sha256 of that text). Written by `npm run trusted-documents`
 * to trusted-documents.json and committed; test/app/clients/trusted-documents.test.ts fails when it
 * is stale.
 */
import { resolve } from 'node:path';
import type { TrustedDocumentManifest } from '../../src/platform/http/trusted-documents';
import { sha256Hex } from '../../src/platform/http/trusted-documents';
import { clientOperation, clientOperationNames, CLIENTS_COPY_DIR } from './client-operations';

export const TRUSTED_DOCUMENTS_FILE = resolve(CLIENTS_COPY_DIR, '../trusted-documents.json');

/**
 * The API's operations that the apps' documents do not hold yet (`operations/`), and their manifest,
 * which an operator trusts beside the apps' with TRUSTED_DOCUMENTS_EXTRA.
 */
export const OPERATIONS_DIR = resolve(CLIENTS_COPY_DIR, '../operations');
export const OPERATIONS_MANIFEST_FILE = resolve(CLIENTS_COPY_DIR, '../trusted-documents.operations.json');

export function trustedDocumentManifest(dir = CLIENTS_COPY_DIR): TrustedDocumentManifest {
  const operations = clientOperationNames(undefined, dir).map(({ file, name, type }) => {
    const body = clientOperation(file, name, dir);
    return { id: sha256Hex(body), name, type, body };
  });
  const twice = repeatedNames(operations);
  // Clients that send ids look them up by operation name (@apollo/persisted-query-lists does).
  if (twice.length) throw new Error(`operation names used twice in ${dir}: ${twice.join(', ')}`);
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

/** The operation names listed more than once, each once. */
export function repeatedNames(operations: readonly { name: string }[]): string[] {
  const names = operations.map((o) => o.name);
  return [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
}

export const manifestText = (manifest: TrustedDocumentManifest): string => JSON.stringify(manifest, null, 2) + '\n';
