/**
 * One variant of the API in a process of its own, forked by the harness: the privacy server
 * (`startServer`, unchanged) or the open one (open-server.ts). Apart, as in production, each has
 * its own heap, JIT feedback and CPU time: the other variant's garbage and code paths do not land
 * on its measurement. Driven over IPC: start, counters, probe, stop.
 */
import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import type { AuditRecord } from '../../src/platform/audit/audit-hash';
import { createAuditWriter } from '../../src/platform/audit/audit-writer';
import type { Config } from '../../src/platform/config';
import { createLogger } from '../../src/platform/logging/logger';
import { App, startServer } from '../../src/app/server';
import { newDataSource } from './database';
import { startDatabaseMaintenance } from '../../src/app/database';
import { ReaderProbe, startOpenServer } from './open-server';
import { countStatements, StatementCounter } from './sql-count';

export type VariantName = 'privacy' | 'open';

export interface VariantStart {
  variant: VariantName;
  databaseUrl: string;
  config: Config;
  poolSize: number;
}

/** What the harness reads between runs. */
export interface VariantCounters {
  /** Data statements through the DataSource since the last reset. */
  data: number;
  /** Audit INSERTs since the last reset (privacy only). */
  audit: number;
  /** Statements the ScopedReader counted while the probe was on (open only). */
  probe: number;
  /** CPU time of this process so far. */
  cpuMs: number;
  /** Time its event loop has been busy, and idle, so far (ms): idle while every request waits on I/O. */
  loopBusyMs: number;
  loopIdleMs: number;
}

/** What one request sent to the database: its data statements, and the audit records it handed to the writer. */
export interface Recorded {
  statements: { sql: string; params: unknown[] }[];
  auditEvents: AuditRecord[];
}

export type VariantCommand = { cmd: 'start'; start: VariantStart } | { cmd: 'counters'; reset?: boolean } | { cmd: 'probe'; enabled: boolean }
  | { cmd: 'record'; enabled: boolean } | { cmd: 'recorded' } | { cmd: 'stop' };

async function serve(start: VariantStart) {
  const dataSource: DataSource = newDataSource(start.databaseUrl, start.poolSize);
  await dataSource.initialize();
  // Request log lines are built as in production, into a sink that drops them.
  const log = createLogger({ stream: { write: () => undefined }, level: process.env.LOG_LEVEL ?? 'info' });
  const probe: ReaderProbe = { enabled: false, statements: 0 };
  let app: App;
  let auditInserts = () => 0;
  let closeAudit = async (): Promise<void> => undefined;
  /** The audit records handed to the writer while recording is on (`--scale` replays them too). */
  const recording = { on: false, events: [] as AuditRecord[] };
  if (start.variant === 'privacy') {
    // The server's own writer (keyed, checkpointed), handed in so that its INSERTs can be counted.
    let inserts = 0;
    const writer = createAuditWriter(dataSource, start.config.audit, { onInsert: () => inserts++ });
    const append = writer.append.bind(writer);
    writer.append = (record) => {
      if (recording.on) recording.events.push(record);
      return append(record);
    };
    auditInserts = () => inserts;
    closeAudit = () => writer.close();
    app = await startServer(start.config, dataSource, { log, auditSink: writer });
  } else {
    app = await startOpenServer(start.config, dataSource, { probe, log });
  }
  // The database upkeep the real server runs beside it (the audit partitions' statistics).
  const stopMaintenance = startDatabaseMaintenance(dataSource, () => undefined);
  const counter: StatementCounter = countStatements(dataSource, auditInserts);
  return {
    url: app.url.replace('//localhost:', '//127.0.0.1:'),
    counters(reset = false): VariantCounters {
      const { user, system } = process.cpuUsage();
      const loop = performance.eventLoopUtilization();
      const read = {
        data: counter.data, audit: counter.audit, probe: probe.statements, cpuMs: (user + system) / 1000, loopBusyMs: loop.active, loopIdleMs: loop.idle,
      };
      if (reset) {
        counter.reset();
        probe.statements = 0;
      }
      return read;
    },
    setProbe(enabled: boolean) {
      probe.enabled = enabled;
      probe.statements = 0;
    },
    /** Keeps the data statements and audit records from now on (`--scale` replays them as the database's ceiling). */
    setRecording(enabled: boolean) {
      counter.recording = recording.on = enabled;
      counter.recorded = [];
      recording.events = [];
    },
    recorded: (): Recorded => ({ statements: counter.recorded, auditEvents: recording.events }),
    async stop() {
      stopMaintenance();
      await app.stop();
      await closeAudit();
      await dataSource.destroy();
    },
  };
}

if (require.main === module && process.send) {
  let served: Awaited<ReturnType<typeof serve>> | undefined;
  const reply = (id: number, body: object) => process.send!({ id, ...body });
  process.on('message', async ({ id, command }: { id: number; command: VariantCommand }) => {
    try {
      switch (command.cmd) {
        case 'start':
          served = await serve(command.start);
          return reply(id, { ok: true, url: served.url });
        case 'counters':
          return reply(id, { ok: true, counters: served!.counters(command.reset) });
        case 'probe':
          served!.setProbe(command.enabled);
          return reply(id, { ok: true });
        case 'record':
          served!.setRecording(command.enabled);
          return reply(id, { ok: true });
        case 'recorded':
          return reply(id, { ok: true, recorded: served!.recorded() });
        case 'stop':
          await served?.stop();
          reply(id, { ok: true });
          return process.disconnect();
      }
    } catch (error) {
      reply(id, { ok: false, error: String((error as Error)?.stack ?? error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}
