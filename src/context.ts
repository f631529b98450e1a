import type { Viewer } from './auth/viewer';
import type { ScopedReader } from './privacy/scoped-reader';
import type { DataSource } from 'typeorm';

/** Per request: who asks, and the only door to the data. */
export interface AppContext {
  viewer: Viewer;
  reader: ScopedReader;
  dataSource: DataSource;
  requestId: string;
}
