import type { DataSource } from 'typeorm';
import type { RequestContext } from '../platform/http/request-context';
import type { ScopedReader } from './read/scoped-reader';

/** Per request: who asks, and the only door to the data. */
export interface AppContext extends RequestContext {
  reader: ScopedReader;
  dataSource: DataSource;
}
