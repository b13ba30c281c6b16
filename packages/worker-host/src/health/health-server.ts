import { createServer, type Server } from 'node:http';

/** A probe: resolves when healthy, rejects with the reason otherwise. */
export type Probe = () => Promise<void>;

/** A Prometheus scrape: the exposition text and its content type. */
export interface MetricsScrape {
  contentType: string;
  body: string;
}

/** What else the health server answers. */
export interface HealthServerOptions {
  /** Serves `GET /metrics` when given. */
  metrics?: () => Promise<MetricsScrape>;
}

/**
 * The worker host's only HTTP surface: `GET /health/live`, `GET /health/ready` and,
 * with metrics on, `GET /metrics` on its own port. Plain node:http, because the worker
 * must not depend on a web framework to say whether it is alive.
 */
export async function startHealthServer(
  port: number,
  host: string,
  ready: Probe,
  options: HealthServerOptions = {},
): Promise<Server> {
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { error: 'method not allowed' });
    if (req.url === '/health/live') return send(200, { status: 'ok' });
    if (req.url === '/health/ready') {
      ready().then(
        () => send(200, { status: 'ok' }),
        (error: unknown) => send(503, { status: 'unavailable', reason: (error as Error).message }),
      );
      return;
    }
    if (req.url?.split('?')[0] === '/metrics' && options.metrics) {
      options.metrics().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        (error: unknown) => send(500, { error: (error as Error).message }),
      );
      return;
    }
    send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}
