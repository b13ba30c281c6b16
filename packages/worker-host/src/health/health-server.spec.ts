import { describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import { startHealthServer } from './health-server.js';

const urlOf = (server: Server) => {
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
};

async function close(server: Server) {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe('startHealthServer', () => {
  it('serves GET /metrics when given a scrape, next to the health routes', async () => {
    const server = await startHealthServer(0, '127.0.0.1', async () => undefined, {
      metrics: async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'coordinator_up 1\n' }),
    });
    try {
      const metrics = await fetch(`${urlOf(server)}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      expect(await metrics.text()).toBe('coordinator_up 1\n');
      expect((await fetch(`${urlOf(server)}/health/ready`)).status).toBe(200);
    } finally {
      await close(server);
    }
  });

  it('answers 404 on /metrics when metrics are off', async () => {
    const server = await startHealthServer(0, '127.0.0.1', async () => undefined);
    try {
      expect((await fetch(`${urlOf(server)}/metrics`)).status).toBe(404);
    } finally {
      await close(server);
    }
  });
});
