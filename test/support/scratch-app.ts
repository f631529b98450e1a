/**
 * The real server on an ephemeral port, on a scratch database of the test's own (startTestApp uses
 * the run's shared database). Requests go out with exactly the headers given, and come back with
 * the raw body text, so that a test can scan everything a client would receive.
 */
import type { DataSource } from 'typeorm';
import { App, ServerOptions, startServer } from '../../src/app/server';
import { config } from './app';
import { fetchJson } from './fetch-json';

export interface RawResponse {
  status: number;
  text: string;
  /** The parsed body, or undefined when it was not JSON. */
  body: any;
}

export interface ScratchApp {
  app: App;
  post(query: string, variables: Record<string, unknown> | undefined, headers: Record<string, string>, operationName?: string): Promise<RawResponse>;
  close(): Promise<void>;
}

export async function startScratchApp(dataSource: DataSource, options: ServerOptions = {}): Promise<ScratchApp> {
  const app = await startServer(config, dataSource, options);
  return {
    app,
    async post(query, variables, headers, operationName) {
      const { status, text, body } = await fetchJson(app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables, ...(operationName ? { operationName } : {}) }),
      });
      return { status, text, body };
    },
    close: () => app.stop(),
  };
}
