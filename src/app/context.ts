import type { DataSource } from 'typeorm';
import { AuditTrail } from '../platform/audit/audit-trail';
import { authenticate } from '../platform/auth/authenticate';
import type { Config } from '../platform/config';
import type { ContextFactory } from '../platform/http/graphql-route';
import { header } from '../platform/http/request';
import type { AppContext } from '../privacy/context';
import { ReaderOptions, ScopedReader } from '../privacy/read/scoped-reader';

/** Each request's context: the caller from its token and X-Purpose, its scoped reader and audit trail. */
export function requestContext(config: Config, dataSource: DataSource, reader: ReaderOptions = {}): ContextFactory<AppContext> {
  return async (req, info) => {
    const audit = new AuditTrail();
    const viewer = await authenticate({ authorization: header(req, 'authorization'), purpose: header(req, 'x-purpose') }, config.jwt, req);
    return { viewer, reader: new ScopedReader(dataSource, viewer, { ...reader, trail: audit }), dataSource, requestId: info.id, audit };
  };
}
