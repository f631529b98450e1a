import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A TCP proxy in front of the database, to make it go away and come back under load:
 * `down('reset')` drops every connection and refuses new ones, `down('blackhole')` accepts and
 * never answers, `up()` forwards again.
 */
export class TcpProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private mode: 'up' | 'reset' | 'blackhole' = 'up';
  port = 0;

  /** Holds every answer from the database this long (a slow database, for requests in flight). */
  delayMs = 0;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => this.accept(client));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** A database URL like `url`, pointing through the proxy. */
  through(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  down(mode: 'reset' | 'blackhole'): void {
    this.mode = mode;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  up(): void {
    this.mode = 'up';
  }

  async stop(): Promise<void> {
    this.down('reset');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.mode === 'reset') return void client.destroy();
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => undefined);
    if (this.mode === 'blackhole') return;
    const upstream = connect(this.target.port, this.target.host);
    this.sockets.add(upstream);
    upstream.on('close', () => { this.sockets.delete(upstream); client.destroy(); });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.on('data', (chunk) => {
      if (this.delayMs) setTimeout(() => client.write(chunk), this.delayMs);
      else client.write(chunk);
    });
  }
}

export function targetOf(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 5432) };
}
