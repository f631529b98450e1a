import { join } from 'node:path';
import { IpcChild } from './ipc-child';
import type { Recorded, VariantCommand, VariantCounters, VariantStart } from './variant-server';

/** A variant of the API served by its own process (variant-server.ts). */
export interface VariantProcess {
  url: string;
  counters(reset?: boolean): Promise<VariantCounters>;
  setProbe(enabled: boolean): Promise<void>;
  setRecording(enabled: boolean): Promise<void>;
  /** The data statements and audit records since recording was turned on. */
  recorded(): Promise<Recorded>;
  stop(): Promise<void>;
}

/** `profileDir`: the variant writes a V8 CPU profile there when it stops (`--cpu-prof`). */
export async function startVariant(start: VariantStart, profileDir?: string): Promise<VariantProcess> {
  // graphql-js reads NODE_ENV once, at import: the variant runs as production does.
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${start.variant}-${Date.now()}.cpuprofile`] : [];
  const child = new IpcChild(join(__dirname, 'variant-server.js'), { ...process.env, NODE_ENV: 'production' }, execArgv);
  const ask = <T>(command: VariantCommand) => child.ask<T>({ command });
  const { url } = await ask<{ url: string }>({ cmd: 'start', start });
  const counters = async (reset = false) => (await ask<{ counters: VariantCounters }>({ cmd: 'counters', reset })).counters;
  return {
    url,
    counters,
    setProbe: async (enabled) => void (await ask({ cmd: 'probe', enabled })),
    setRecording: async (enabled) => void (await ask({ cmd: 'record', enabled })),
    recorded: async () => (await ask<{ recorded: Recorded }>({ cmd: 'recorded' })).recorded,
    async stop() {
      await ask({ cmd: 'stop' });
      await child.stop(); // a CPU profile is written as the process exits
    },
  };
}
