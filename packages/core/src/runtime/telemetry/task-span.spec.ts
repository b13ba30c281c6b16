/*
 * The executor's span per attempt and the context handlers run in, with a real (in-memory)
 * OpenTelemetry SDK: what the worker host does with BullMQ, shown with the inline transport.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConsoleLogger, Injectable, Logger } from '@nestjs/common';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { node, tracing } from '@opentelemetry/sdk-node';
import { IsString } from 'class-validator';
import { defineExtension } from '../../contract/define-extension.js';
import { defineSignal } from '../../contract/define-signal.js';
import { defineTask } from '../../contract/define-task.js';
import { onSignal } from '../../contract/on-signal.js';
import type { TaskContext, TaskHandler } from '../../contract/task-context.js';
import { ExtensionRegistry } from '../extension-registry.js';
import { InlineTransport } from '../inline-transport.js';
import { createHostLogger, PinoNestLogger } from '../logging/host-logger.js';
import { TaskExecutor } from '../task-executor.js';

class Order {
  @IsString()
  orderId!: string;
}

const placed = defineSignal({ name: 'shop.placed', payload: Order });

@Injectable()
class Submit implements TaskHandler<Order> {
  async run(payload: Order, ctx: TaskContext) {
    ctx.logger.log('submitted', { orderId: payload.orderId });
    await ctx.emit(placed, payload);
  }
}

@Injectable()
class Charge implements TaskHandler<Order> {
  async run(payload: Order, ctx: TaskContext) {
    if (ctx.attempt === 1) throw new Error('provider unavailable');
  }
}

const submit = defineTask({ name: 'shop.submit', payload: Order, handler: Submit });
const charge = defineTask({
  name: 'shop.charge',
  payload: Order,
  handler: Charge,
  retry: { attempts: 2, backoff: 'fixed', delayMs: 1, jitter: false },
});

describe('task spans', () => {
  const exporter = new tracing.InMemorySpanExporter();
  const provider = new node.NodeTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
  const lines: string[] = [];

  beforeAll(() => {
    provider.register();
    Logger.overrideLogger(
      new PinoNestLogger(
        createHostLogger({ service: 'test', env: {}, destination: { write: (line: string) => void lines.push(line) } }),
      ),
    );
  });
  afterAll(async () => {
    Logger.overrideLogger(new ConsoleLogger());
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  const registry = new ExtensionRegistry([
    defineExtension({
      name: 'shop',
      version: '1.0.0',
      tasks: [submit, charge],
      signals: [placed],
      handlers: [onSignal(placed, charge)],
    }),
  ]);

  it('runs each attempt in its own span, in the trace of whoever dispatched, and logs with its ids', async () => {
    const transport = new InlineTransport(registry);
    const handlers = new Map<unknown, unknown>([
      [Submit, new Submit()],
      [Charge, new Charge()],
    ]);
    transport.attachExecutor(new TaskExecutor(registry, (type) => handlers.get(type) as never, transport));

    const tracer = trace.getTracer('test');
    const request = tracer.startSpan('POST /orders');
    const receipt = await context.with(trace.setSpan(context.active(), request), () =>
      transport.dispatch(submit, { orderId: 'o-1' }),
    );
    request.end();
    await transport.whenIdle();

    const spans = exporter.getFinishedSpans();
    const submitSpan = spans.find((s) => s.name === 'task shop.submit')!;
    const chargeSpans = spans.filter((s) => s.name === 'task shop.charge');
    expect(submitSpan.attributes).toMatchObject({
      'coordinator.task.name': 'shop.submit',
      'coordinator.task.id': receipt.taskId,
      'coordinator.task.attempt': 1,
      'coordinator.extension': 'shop',
    });
    expect(submitSpan.kind).toBe(SpanKind.CONSUMER);
    expect(submitSpan.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(chargeSpans.map((s) => s.attributes['coordinator.task.attempt'])).toEqual([1, 2]);
    expect(chargeSpans[0]!.status.code).toBe(2); // ERROR: the first attempt failed
    for (const span of chargeSpans) {
      expect(span.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(span.parentSpanContext?.spanId).toBe(submitSpan.spanContext().spanId);
    }

    const submitted = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r['msg'] === 'submitted');
    expect(submitted).toMatchObject({
      traceId: submitSpan.spanContext().traceId,
      spanId: submitSpan.spanContext().spanId,
      task: 'shop.submit',
      taskId: receipt.taskId,
      attempt: 1,
      extension: 'shop',
      orderId: 'o-1',
    });
  });

  it('continues the trace context stored in the job when no span is active', async () => {
    exporter.reset();
    const executor = new TaskExecutor(registry, () => new Submit() as never, new InlineTransport(registry));
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const parentId = 'b7ad6b7169203331';
    await executor.execute({
      taskId: 'shop.submit.1',
      name: 'shop.submit',
      attempt: 1,
      maxAttempts: 1,
      data: {
        payload: { orderId: 'o-2' },
        meta: {
          task: 'shop.submit',
          extension: 'shop',
          extensionVersion: '1.0.0',
          schemaVersion: 1,
          enqueuedAt: new Date().toISOString(),
          trace: { traceparent: `00-${traceId}-${parentId}-01` },
        },
      },
    });
    const span = exporter.getFinishedSpans().find((s) => s.name === 'task shop.submit')!;
    expect(span.spanContext().traceId).toBe(traceId);
    expect(span.parentSpanContext?.spanId).toBe(parentId);
  });

  it('continues the producer span the job carries, ahead of the active span and the envelope', async () => {
    exporter.reset();
    const executor = new TaskExecutor(registry, () => new Submit() as never, new InlineTransport(registry));
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const producerId = '00f067aa0ba902b7';
    const meta = {
      task: 'shop.submit',
      extension: 'shop',
      extensionVersion: '1.0.0',
      schemaVersion: 1,
      enqueuedAt: new Date().toISOString(),
      trace: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    };
    const run = (producerTrace: string) =>
      executor.execute({
        taskId: 'shop.submit.2',
        name: 'shop.submit',
        attempt: 1,
        maxAttempts: 1,
        data: { payload: { orderId: 'o-3' }, meta },
        producerTrace,
      });
    const active = trace.getTracer('test').startSpan('somewhere else');
    await context.with(trace.setSpan(context.active(), active), () =>
      run(JSON.stringify({ traceparent: `00-${traceId}-${producerId}-01` })),
    );
    active.end();
    // What a job written by someone else might hold there: the envelope's context instead.
    await run('not json');

    const [fromProducer, fromEnvelope] = exporter.getFinishedSpans().filter((s) => s.name === 'task shop.submit');
    expect(fromProducer!.spanContext().traceId).toBe(traceId);
    expect(fromProducer!.parentSpanContext?.spanId).toBe(producerId);
    expect(fromEnvelope!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
  });
});
