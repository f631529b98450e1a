import { readFileSync } from 'node:fs';
import type { Config } from '../platform/config';
import { TrustedDocumentManifest, TrustedDocumentRefusalCode, TrustedDocuments } from '../platform/http/trusted-documents';
// Generated from clients/*.graphql by `npm run trusted-documents`; built into dist with the code.
import manifest from '../../trusted-documents.json';

type TrustedConfig = Pick<Config, 'trustedDocuments'> & Partial<Pick<Config, 'trustedDocumentsExtra'>>;

/**
 * The apps' manifest and the operator's extra ones (TRUSTED_DOCUMENTS_EXTRA) as one list. An
 * operation name listed twice stops the start: clients look documents up by name.
 */
export function trustedManifest(extra: readonly string[] = []): TrustedDocumentManifest {
  const operations = [...(manifest as TrustedDocumentManifest).operations];
  for (const file of extra) {
    let added: TrustedDocumentManifest;
    try {
      added = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`TRUSTED_DOCUMENTS_EXTRA: ${file} is not a readable JSON manifest (${(error as Error).message})`);
    }
    if (added?.format !== 'apollo-persisted-query-manifest' || added.version !== 1 || !Array.isArray(added.operations)) {
      throw new Error(`TRUSTED_DOCUMENTS_EXTRA: ${file} is not an Apollo persisted query manifest of version 1`);
    }
    for (const operation of added.operations) {
      if (operations.some((o) => o.name === operation.name)) {
        throw new Error(`TRUSTED_DOCUMENTS_EXTRA: ${file} lists ${operation.name}, which another manifest already lists`);
      }
      operations.push(operation);
    }
  }
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

/** The apps' operations (and the operator's extra ones), enforced as `TRUSTED_DOCUMENTS` says. */
export function trustedDocuments(config: TrustedConfig, manifest = trustedManifest(config.trustedDocumentsExtra), onRefusal?: (code: TrustedDocumentRefusalCode) => void): TrustedDocuments {
  return new TrustedDocuments(manifest, config.trustedDocuments, onRefusal);
}
