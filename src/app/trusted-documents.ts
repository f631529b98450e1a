import type { Config } from '../platform/config';
import { TrustedDocumentManifest, TrustedDocumentRefusalCode, TrustedDocuments } from '../platform/http/trusted-documents';
// Generated from clients/*.graphql by `npm run trusted-documents`; built into dist with the code.
import manifest from '../../trusted-documents.json';

/** The apps' operations, enforced as `TRUSTED_DOCUMENTS` says. */
export function trustedDocuments(config: Pick<Config, 'trustedDocuments'>, onRefusal?: (code: TrustedDocumentRefusalCode) => void): TrustedDocuments {
  return new TrustedDocuments(manifest as TrustedDocumentManifest, config.trustedDocuments, onRefusal);
}

/** The names of the apps' operations: the only operation names the metrics count by. */
export function trustedOperationNames(): string[] {
  return (manifest as TrustedDocumentManifest).operations.map((operation) => operation.name);
}
