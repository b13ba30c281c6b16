import { Queue, type Telemetry } from 'bullmq';
import { Redis } from 'ioredis';
import { BullMqDispatcher, type BullMqDispatcherOptions } from './bullmq-dispatcher.js';
import { BullMqStatusReader } from './bullmq-status-reader.js';
import { coalesceWrites } from './coalesce-writes.js';
import type { ExtensionRegistry } from './extension-registry.js';
import { DEFAULT_QUEUE_PREFIX, producerRedisOptions } from './redis-options.js';
import { bullmqTelemetry } from './telemetry/bullmq-telemetry.js';
import type { ObserverList } from './task-observer.js';
import type { TaskTransport } from './task-transport.js';

export interface BullMqTransportOptions extends BullMqDispatcherOptions {
  redisUrl: string;
  prefix?: string;
  observers?: ObserverList;
  /** BullMQ telemetry of the queues; by default bullmq-otel's while tracing is on, none otherwise. */
  telemetry?: Telemetry;
}

/**
 * Producer side of BullMQ: one fail-fast Redis connection shared by a `Queue` per
 * queue name of the registry.
 */
export class BullMqTransport implements TaskTransport {
  readonly kind = 'bullmq' as const;
  readonly dispatcher: BullMqDispatcher;
  readonly status: BullMqStatusReader;
  readonly prefix: string;
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly telemetry: Telemetry | undefined;

  constructor(registry: ExtensionRegistry, options: BullMqTransportOptions) {
    this.prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
    this.telemetry = options.telemetry ?? bullmqTelemetry();
    this.connection = new Redis(producerRedisOptions(options.redisUrl));
    // ioredis reports every failed reconnect; readiness and 503s already say Redis is down.
    this.connection.on('error', () => undefined);
    // A keyed dispatch writes three commands (index, add, read-back): one system call.
    coalesceWrites(this.connection);
    const queueOf = (name: string) => this.queue(name);
    const connected = new Promise<void>((resolve) => this.connection.once('ready', () => resolve()));
    this.dispatcher = new BullMqDispatcher(registry, queueOf, this.connection, this.prefix, options.observers, {
      ...options,
      connected,
    });
    this.status = new BullMqStatusReader(registry, queueOf, this.connection, this.prefix, connected);
    for (const name of registry.queues()) this.queue(name);
  }

  /** The fail-fast producer connection, shared with other small readers and writers (heartbeats). */
  get redis(): Redis {
    return this.connection;
  }

  /** The BullMQ queue of that name (created on first use). */
  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix, telemetry: this.telemetry });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.connection.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('Redis did not answer PING within 1000 ms')), 1_000);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    // Closing a queue sends commands; on a dead fail-fast connection they would reject
    // after close() returned. With Redis gone there is nothing to flush: just disconnect.
    if (this.connection.status === 'ready') {
      await Promise.race([
        Promise.allSettled([...this.queues.values()].map((q) => q.close())),
        new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
      ]);
    }
    this.connection.disconnect();
  }
}
