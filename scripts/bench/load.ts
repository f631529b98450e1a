/**
 * The load generator of the benchmark, run as a child process (forked by the harness) so that
 * autocannon never shares an event loop with the server it measures. Receives jobs over IPC, one
 * at a time, and answers each with its result.
 */
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  /** Seconds. */
  duration: number;
}

export interface LoadResult {
  requests: number;
  /** Seconds the run actually took. */
  elapsed: number;
  rps: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Latency of every completed response, ms. */
  latencies: number[];
}

export function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const started = process.hrtime.bigint();
    const instance = autocannon(
      {
        url: job.url,
        method: 'POST',
        headers: job.headers,
        body: job.body,
        connections: job.connections,
        duration: job.duration,
        pipelining: 1,
        timeout: 30,
      },
      (error, result) => {
        if (error) return reject(error);
        const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
        const requests = result.requests.total;
        resolve({
          requests,
          elapsed,
          rps: requests / (result.duration || elapsed),
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          latencies,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

if (require.main === module && process.send) {
  // One job at a time, until the harness disconnects.
  process.on('message', (job: LoadJob & { id: number }) => {
    runLoad(job).then(
      (result) => process.send!({ id: job.id, ok: true, result }),
      (error) => process.send!({ id: job.id, ok: false, error: String(error?.stack ?? error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
