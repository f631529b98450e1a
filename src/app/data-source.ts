import 'reflect-metadata';
import { types } from 'pg';
import { DataSource, Logger } from 'typeorm';
import { entities } from './entities';
import { PreparingClient } from '../platform/db/prepared-client';
import { startupOptions } from '../platform/db/session-settings';
import { InitialSchema1763900000000 } from '../platform/db/migrations/1763900000000-InitialSchema';
import { AuditChains1763900100000 } from '../platform/db/migrations/1763900100000-AuditChains';
import { RestrictedTenantIndex1763900200000 } from '../platform/db/migrations/1763900200000-RestrictedTenantIndex';
import { ContractorScopeIndexes1763900300000 } from '../platform/db/migrations/1763900300000-ContractorScopeIndexes';
import { NormalisedPhones1764600000000 } from '../platform/db/migrations/1764600000000-NormalisedPhones';
import { UnlinkedDwellings1764650000000 } from '../platform/db/migrations/1764650000000-UnlinkedDwellings';
import { SearchIndexes1764900000000 } from '../platform/db/migrations/1764900000000-SearchIndexes';
import { AuditSubjectIndex1764910000000 } from '../platform/db/migrations/1764910000000-AuditSubjectIndex';
import { ContractorStatusIndex1764920000000 } from '../platform/db/migrations/1764920000000-ContractorStatusIndex';
import { Lifecycle1764930000000 } from '../platform/db/migrations/1764930000000-Lifecycle';
import { DataSubjectRights1764940000000 } from '../platform/db/migrations/1764940000000-DataSubjectRights';
import { ConsentRecords1764941000000 } from '../platform/db/migrations/1764941000000-ConsentRecords';
import { WorkOrderWalkIndexes1764960000000 } from '../platform/db/migrations/1764960000000-WorkOrderWalkIndexes';
import { RetiredAnchors1764971000000 } from '../platform/db/migrations/1764971000000-RetiredAnchors';
import { AuthorityOrganizations1764980000000 } from '../platform/db/migrations/1764980000000-AuthorityOrganizations';
import { SearchedNameStatistics1765000200000 } from '../platform/db/migrations/1765000200000-SearchedNameStatistics';
import { SubjectIndexByKey1765000300000 } from '../platform/db/migrations/1765000300000-SubjectIndexByKey';
import { BuilderDisclosurePurpose1765000400000 } from '../platform/db/migrations/1765000400000-BuilderDisclosurePurpose';
import { PostcodeSearch1765000100000 } from '../platform/db/migrations/1765000100000-PostcodeSearch';
import { SearchValues1765000000000 } from '../platform/db/migrations/1765000000000-SearchValues';
import { AuditPartitions1764990000000 } from '../platform/db/migrations/1764990000000-AuditPartitions';

// Calendar dates stay strings (no time-zone shift); numerics become numbers (amounts are numeric(10,2)).
types.setTypeParser(types.builtins.DATE, (value) => value);
types.setTypeParser(types.builtins.NUMERIC, (value) => Number(value));

export const migrations = [
  InitialSchema1763900000000, AuditChains1763900100000, RestrictedTenantIndex1763900200000, ContractorScopeIndexes1763900300000, NormalisedPhones1764600000000,
  UnlinkedDwellings1764650000000,
  SearchIndexes1764900000000, AuditSubjectIndex1764910000000, ContractorStatusIndex1764920000000,
  Lifecycle1764930000000,
  DataSubjectRights1764940000000, ConsentRecords1764941000000,
  WorkOrderWalkIndexes1764960000000,
  RetiredAnchors1764971000000,
  AuthorityOrganizations1764980000000,
  AuditPartitions1764990000000,
  SearchValues1765000000000,
  PostcodeSearch1765000100000,
  SearchedNameStatistics1765000200000,
  SubjectIndexByKey1765000300000,
  BuilderDisclosurePurpose1765000400000,
];

export interface DataSourceOptions {
  url: string;
  /** Connections in the pool; the embedded database serves one statement at a time anyway. */
  poolSize?: number;
  logging?: boolean;
  /** Sees every statement (tests count and inspect the SQL a request issues). */
  logger?: Logger;
  /** How long to wait for a connection, and for a statement's answer, before giving up. */
  timeouts?: { connectMs: number; queryMs: number };
}

/** A request never waits on a database that went away for longer than these. */
export const DEFAULT_TIMEOUTS = { connectMs: 5_000, queryMs: 15_000 };

/** The schema is only ever changed by migrations, never by `synchronize`. */
export function createDataSource({ url, poolSize = 10, logging = false, logger, timeouts = DEFAULT_TIMEOUTS }: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    logging: logger ? ['query'] : logging,
    logger,
    poolSize,
    // statement_timeout ends a slow statement on the server; query_timeout gives up on the client
    // when no answer comes at all (a dead connection).
    extra: {
      Client: PreparingClient,
      options: startupOptions(),
      connectionTimeoutMillis: timeouts.connectMs,
      statement_timeout: timeouts.queryMs,
      query_timeout: timeouts.queryMs + 1_000,
    },
  });
}
