// The load generator as its own process, so it never shares an event loop with what it measures:
// `concurrency` keep-alive clients post reports back to back and the result is printed as JSON.
// Run by bench/run.ts: `node --import tsx bench/generator.ts '<json options>'`.
import http from 'node:http';
import { reportBody } from './report-body.ts';
import { percentile, type LoadResult } from './load.ts';

interface Options {
  url: string;
  headers: Record<string, string>;
  concurrency: number;
  /** Total requests, or, with `seconds`, keep going until the time is up. */
  requests: number;
  seconds?: number;
  keyPrefix: string;
  /** Added to the request number, so several generators never share a report number. */
  offset?: number;
}

const opts = JSON.parse(process.argv[2]!) as Options;
const target = new URL(opts.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });

function post(i: number): Promise<number> {
  const body = reportBody(i);
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': `${opts.keyPrefix}-${i}`,
          ...opts.headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const latencies: number[] = [];
let errors = 0;
let sent = 0;
const started = performance.now();
const until = opts.seconds ? started + opts.seconds * 1000 : Infinity;
await Promise.all(
  Array.from({ length: opts.concurrency }, async () => {
    while (sent < opts.requests && performance.now() < until) {
      const i = (opts.offset ?? 0) + sent++;
      const t = performance.now();
      const status = await post(i);
      latencies.push(performance.now() - t);
      if (status !== 201) errors++;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
agent.destroy();
latencies.sort((a, b) => a - b);
const result: LoadResult = {
  requests: latencies.length,
  seconds,
  perSecond: latencies.length / seconds,
  p50: percentile(latencies, 50),
  p95: percentile(latencies, 95),
  p99: percentile(latencies, 99),
  errors,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
