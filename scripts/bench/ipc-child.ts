import { ChildProcess, fork } from 'node:child_process';

/**
 * A forked Node process of the harness that answers requests over IPC: each request carries an
 * id, each answer `{ id, ok, error?, ...result }`. Started on first use.
 */
export class IpcChild {
  private child: ChildProcess | undefined;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (answer: any) => void; reject: (error: Error) => void }>();

  constructor(
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly execArgv: string[] = [],
  ) {}

  /** Sends `message` (with an id added) and resolves with the child's answer. */
  ask<T = any>(message: object): Promise<T> {
    const child = this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({ ...message, id });
    });
  }

  /** Lets the child exit once it is done with what it has (it exits on disconnect); resolves when it has. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.disconnect();
    await exited;
  }

  private start(): ChildProcess {
    if (this.child) return this.child;
    const child = fork(this.script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: this.execArgv, env: this.env });
    child.on('message', (message: { id: number; ok: boolean; error?: string }) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) waiting?.resolve(message);
      else waiting?.reject(new Error(message.error));
    });
    child.once('exit', (code) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`${this.script} exited with ${code}`));
      this.pending.clear();
      if (this.child === child) this.child = undefined;
    });
    this.child = child;
    return child;
  }
}
