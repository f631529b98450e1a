/**
 * Trusted documents: in production only the operations of the corporation's apps run. The list is a
 * manifest generated from the apps' documents (`npm run trusted-documents` → trusted-documents.json,
 * Apollo's persisted query manifest format), so a client names a document by its id or sends its
 * exact text:
 *
 * - `documentId` (GraphQL over HTTP, persisted documents appendix): `sha256:<hex>`, or the bare hex;
 * - Apollo's `extensions.persistedQuery.sha256Hash` (version 1);
 * - `query` with the exact text of a listed document.
 *
 * Resolved here, in front of Apollo, because Apollo Server 5 has no safelist of its own (its
 * `persistedQueries` is APQ: a cache that any caller writes to, and it stays off) and knows no
 * `documentId`; the maintained implementations (GraphOS Router, Hive Router, envelop's
 * persisted-operations plugin) belong to other servers. What Apollo receives is an ordinary request
 * whose `query` is the listed text, so parsing, limits, CSRF prevention and validation stay Apollo's.
 */
import { createHash } from 'node:crypto';

export type TrustedDocumentsMode = 'enforce' | 'off';

/** Apollo's persisted query manifest (what @apollo/persisted-query-lists reads on the client). */
export interface TrustedDocumentManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }[];
}

/** The codes a refused request gets; documented in docs/clients.md. */
export const TRUSTED_DOCUMENT_REFUSALS = {
  /** An id the list does not hold (Apollo's code: its clients then send the text instead). */
  PERSISTED_QUERY_NOT_FOUND: 'No trusted document has this id',
  /** A text (or no document) that is not a listed document, with enforcement on. */
  PERSISTED_QUERY_NOT_IN_LIST:
    'Only the apps\' operations run here: send documentId, extensions.persistedQuery.sha256Hash or the exact text of a document in trusted-documents.json',
  /** An id and a text that say different things, or a malformed id. */
  BAD_REQUEST: 'The request names a trusted document in a way that cannot be read',
} as const;

export type TrustedDocumentRefusalCode = keyof typeof TRUSTED_DOCUMENT_REFUSALS;

export interface TrustedDocumentRefusal {
  refused: TrustedDocumentRefusalCode;
  message: string;
  status: 400;
}

/** The request as Apollo should see it: `search` and `body` with the document's text as `query`. */
export interface TrustedRequest {
  search: string;
  body: unknown;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const HEX_ID = /^[0-9a-f]{64}$/;

export class TrustedDocuments {
  private readonly byId: ReadonlyMap<string, string>;

  constructor(
    manifest: TrustedDocumentManifest,
    readonly mode: TrustedDocumentsMode,
    /** Called once per refused request: the hook for a refusals counter (no value of the request is passed). */
    private readonly onRefusal?: (code: TrustedDocumentRefusalCode) => void,
  ) {
    if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1) {
      throw new Error('trusted-documents.json is not an Apollo persisted query manifest of version 1');
    }
    const byId = new Map<string, string>();
    for (const { id, body, name } of manifest.operations) {
      // An id is the hash of its text: a hand-edited manifest cannot let one id run another text.
      if (id !== sha256Hex(body)) throw new Error(`trusted-documents.json: the id of ${name} is not the sha256 of its body; run npm run trusted-documents`);
      byId.set(id, body);
    }
    this.byId = byId;
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * The GET or POST request with its trusted document's text as `query`, or a refusal (before
   * anything is parsed or run). Other methods pass unchanged: Apollo answers them 405 and runs
   * nothing. With enforcement off an unlisted text passes, but ids are still resolved (the apps send
   * the same requests in development as in production).
   */
  resolve(method: string, search: string, body: unknown): TrustedRequest | TrustedDocumentRefusal {
    if (method === 'POST') {
      if (!isRecord(body)) return this.unlisted({ search, body });
      const outcome = this.resolveParams(body.documentId, body.extensions, body.query);
      if ('refused' in outcome) return outcome;
      if (outcome.query === undefined) return { search, body };
      const { documentId: _id, extensions: _extensions, ...rest } = body;
      return { search, body: { ...rest, query: outcome.query, ...extensionsField(outcome.extensions) } };
    }
    if (method === 'GET') {
      const params = new URLSearchParams(search);
      if (['documentId', 'query', 'extensions'].some((name) => params.getAll(name).length > 1)) {
        return this.refuse('BAD_REQUEST');
      }
      let extensions: unknown;
      const rawExtensions = params.get('extensions');
      if (rawExtensions !== null) {
        try {
          extensions = JSON.parse(rawExtensions);
        } catch {
          return this.refuse('BAD_REQUEST');
        }
      }
      const outcome = this.resolveParams(params.get('documentId') ?? undefined, extensions, params.get('query') ?? undefined);
      if ('refused' in outcome) return outcome;
      if (outcome.query === undefined) return { search, body };
      params.delete('documentId');
      params.set('query', outcome.query);
      if (outcome.extensions === undefined) params.delete('extensions');
      else params.set('extensions', JSON.stringify(outcome.extensions));
      return { search: `?${params}`, body };
    }
    return { search, body };
  }

  /** The text to run (undefined: pass the request as it is) and the extensions left for Apollo. */
  private resolveParams(documentId: unknown, extensions: unknown, query: unknown):
    { query?: string; extensions?: Record<string, unknown> } | TrustedDocumentRefusal {
    const persisted = isRecord(extensions) ? extensions.persistedQuery : undefined;
    let id: string | undefined;
    if (documentId !== undefined && documentId !== null) {
      if (typeof documentId !== 'string') return this.refuse('BAD_REQUEST');
      id = documentId.startsWith('sha256:') ? documentId.slice('sha256:'.length) : documentId;
    }
    if (persisted !== undefined) {
      if (!isRecord(persisted) || persisted.version !== 1 || typeof persisted.sha256Hash !== 'string') return this.refuse('BAD_REQUEST');
      if (id !== undefined && id !== persisted.sha256Hash) return this.refuse('BAD_REQUEST');
      id = persisted.sha256Hash;
    }
    // Apollo refuses the extension with persisted queries off; the document is resolved here instead.
    const rest = isRecord(extensions) ? withoutPersistedQuery(extensions) : undefined;
    if (id !== undefined) {
      if (!HEX_ID.test(id)) return this.refuse('PERSISTED_QUERY_NOT_FOUND');
      const text = this.byId.get(id);
      if (text === undefined) return this.refuse('PERSISTED_QUERY_NOT_FOUND');
      if (query !== undefined && query !== null && query !== text) return this.refuse('BAD_REQUEST');
      return { query: text, extensions: rest };
    }
    if (typeof query === 'string' && this.byId.has(sha256Hex(query))) return {};
    if (this.mode === 'off') return {};
    return this.refuse('PERSISTED_QUERY_NOT_IN_LIST');
  }

  private unlisted(request: TrustedRequest): TrustedRequest | TrustedDocumentRefusal {
    return this.mode === 'off' ? request : this.refuse('PERSISTED_QUERY_NOT_IN_LIST');
  }

  private refuse(code: TrustedDocumentRefusalCode): TrustedDocumentRefusal {
    this.onRefusal?.(code);
    return { refused: code, message: TRUSTED_DOCUMENT_REFUSALS[code], status: 400 };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutPersistedQuery(extensions: Record<string, unknown>): Record<string, unknown> | undefined {
  const { persistedQuery: _persisted, ...rest } = extensions;
  return Object.keys(rest).length ? rest : undefined;
}

function extensionsField(extensions: Record<string, unknown> | undefined): { extensions?: Record<string, unknown> } {
  return extensions === undefined ? {} : { extensions };
}
