import { defineExtension, defineTask, RequireScopes, TaskDispatcher, type TaskHandler } from '@coordinator/core';
import { ExtensionRegistry, InlineTransport, ObserverList, type WorkerHeartbeat } from '@coordinator/core/runtime';
import { describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, HttpCode, Injectable, Param, Post } from '@nestjs/common';
import { IsString } from 'class-validator';
import { Registry } from 'prom-client';
import { createApiHost } from '../create-api-host.js';
import { testCaller } from '../auth/fixtures/test-caller.js';
import { ApiMetrics } from './api-metrics.js';

class Note {
  @IsString()
  text!: string;
}

@Injectable()
class NoteHandler implements TaskHandler<Note> {
  async run() {
    return null;
  }
}

const writeNote = defineTask({ name: 'notes.write', payload: Note, handler: NoteHandler });

const caller = testCaller();

@Controller('notes')
@RequireScopes('notes:write')
class NotesController {
  constructor(private readonly dispatcher: TaskDispatcher) {}

  @Post()
  @HttpCode(202)
  write(@Body() body: Note) {
    return this.dispatcher.dispatch(writeNote, body);
  }

  @Get(':id')
  read(@Param('id') id: string) {
    return { id };
  }
}

const notes = defineExtension({ name: 'notes', version: '1.0.0', controllers: [NotesController], tasks: [writeNote] });

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('ApiMetrics', () => {
  it('counts requests by route pattern and enqueued tasks, and serves them on GET /metrics', async () => {
    const registry = new ExtensionRegistry([notes]);
    const metrics = new ApiMetrics(registry, new Registry());
    const transport = new InlineTransport(registry, new ObserverList([metrics.enqueued]));
    const app = await createApiHost({ registry, transport, env: caller.env, logger: false, metrics });
    try {
      expect(
        (await app.inject({ headers: caller.headers, method: 'POST', url: '/notes', payload: { text: 'hi' } }))
          .statusCode,
      ).toBe(202);
      expect(
        (await app.inject({ headers: caller.headers, method: 'POST', url: '/notes', payload: {} })).statusCode,
      ).toBe(400);
      await app.inject({ headers: caller.headers, method: 'GET', url: '/notes/n-1' });
      await app.inject({ headers: caller.headers, method: 'GET', url: '/notes/n-2' });
      await app.inject({ headers: caller.headers, method: 'GET', url: '/nowhere/at/all' });

      const response = await app.inject({ headers: caller.headers, method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/plain');
      const text = response.body;
      expect(sample(text, 'coordinator_http_requests_total{method="POST",route="/notes",status="202"}')).toBe(1);
      expect(sample(text, 'coordinator_http_requests_total{method="POST",route="/notes",status="400"}')).toBe(1);
      expect(sample(text, 'coordinator_http_requests_total{method="GET",route="/notes/:id",status="200"}')).toBe(2);
      expect(sample(text, 'coordinator_http_requests_total{method="GET",route="(unmatched)",status="404"}')).toBe(1);
      expect(text).not.toContain('n-1');
      expect(text).not.toContain('/nowhere');
      expect(
        sample(text, 'coordinator_http_request_duration_seconds_count{method="POST",route="/notes",status="202"}'),
      ).toBe(1);
      expect(sample(text, 'coordinator_tasks_enqueued_total{task="notes.write"}')).toBe(1);
      // Breakers live in the worker hosts, where tasks call downstreams.
      expect(text).not.toContain('coordinator_breaker_state');
    } finally {
      await app.close();
      await transport.close();
    }
  });

  it('reports worker heartbeat ages and live hosts per queue from the heartbeats', async () => {
    const registry = new ExtensionRegistry([notes]);
    const metrics = new ApiMetrics(registry, new Registry());
    const now = Date.now();
    const live: WorkerHeartbeat[] = [
      {
        id: 'w-1',
        hostname: 'box',
        pid: 1,
        startedAt: new Date(now - 60_000).toISOString(),
        heartbeatAt: new Date(now - 3_000).toISOString(),
        queues: ['notes'],
        extensions: [{ name: 'notes', version: '1.0.0' }],
        coreVersion: '0.1.0',
      },
    ];
    let reads = 0;
    metrics.watchWorkers({
      live: async () => {
        reads += 1;
        return live;
      },
    });
    let text = (await metrics.scrape()).body;
    expect(sample(text, 'coordinator_queue_workers{queue="notes"}')).toBe(1);
    expect(sample(text, 'coordinator_worker_heartbeat_age_seconds{worker="w-1"}')).toBeGreaterThanOrEqual(3);
    // One read per scrape, shared by both gauges.
    expect(reads).toBe(1);

    live.length = 0;
    text = (await metrics.scrape()).body;
    expect(sample(text, 'coordinator_queue_workers{queue="notes"}')).toBe(0);
    expect(text).not.toMatch(/^coordinator_worker_heartbeat_age_seconds\{/m);
  });

  it('leaves the worker gauges empty when the heartbeats cannot be read in time', async () => {
    const registry = new ExtensionRegistry([notes]);
    const metrics = new ApiMetrics(registry, new Registry());
    metrics.watchWorkers({ live: () => new Promise(() => undefined) }, 50);
    const text = (await metrics.scrape()).body;
    expect(text).not.toMatch(/^coordinator_queue_workers\{/m);
    expect(sample(text, 'coordinator_metrics_collect_failures_total{collector="workers"}')).toBe(1);
  });
});
