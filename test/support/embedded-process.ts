import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

export interface EmbeddedProcess {
  url: string;
  stop(): Promise<void>;
}

/** Starts the application's embedded database in a child process and returns its URL. */
export async function startEmbeddedProcess(): Promise<EmbeddedProcess> {
  // Required (not run as the main module) so that the CommonJS hook of @swc-node/register compiles it.
  const entry = JSON.stringify(resolve(__dirname, 'embedded-db-process.ts'));
  const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', `require(${entry})`], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, SWC_NODE_PROJECT: resolve(__dirname, 'tsconfig.child.json') },
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return {
    url: line.toString().trim(),
    async stop() {
      child.stdin!.end();
      await once(child, 'exit');
    },
  };
}
