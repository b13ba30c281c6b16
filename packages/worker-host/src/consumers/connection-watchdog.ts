import { Logger } from '@nestjs/common';
import type { Worker } from 'bullmq';
import type { Socket } from 'node:net';

/** The part of an ioredis client the watchdog needs. */
interface WatchedClient {
  status: string;
  ping(): Promise<unknown>;
  stream?: Pick<Socket, 'destroy'>;
}

/** The part of BullMQ's Redis backend that holds a worker's two connections. */
interface WorkerConnections {
  client: Promise<WatchedClient>;
  blockingClient?: Promise<WatchedClient>;
}

/**
 * How often the watchdog pings each worker's connection, and how long an answer may take
 * before the connection is judged dead.
 *
 * @example
 * ```ts
 * const options: ConnectionWatchdogOptions = { intervalMs: 5_000, timeoutMs: 5_000 };
 * ```
 */
export interface ConnectionWatchdogOptions {
  intervalMs: number;
  timeoutMs: number;
}

/** Defaults: a dead connection is found within 10 s; a live one answers a PING in milliseconds. */
export const DEFAULT_CONNECTION_WATCHDOG: Readonly<ConnectionWatchdogOptions> = Object.freeze({
  intervalMs: 5_000,
  timeoutMs: 5_000,
});

/**
 * Finds worker connections that died silently and resets them, so consumption resumes
 * without a process restart.
 *
 * When Redis restarts, its sockets close and ioredis reconnects on its own. When it
 * fails over, or a network path drops packets, the socket can stay open while nothing
 * comes back: ioredis still says `ready`, every command waits forever, and a BullMQ
 * worker stops fetching jobs while `isRunning()` stays true (BullMQ's own watchdog
 * resets only the blocking connection, and then waits on the other). So each interval
 * this pings each worker's command connection; when a `ready` connection does not answer
 * in time, both of its sockets are destroyed, which ioredis treats as a lost connection:
 * it reconnects and re-sends the commands that were waiting.
 */
export class ConnectionWatchdog {
  private readonly logger = new Logger('ConnectionWatchdog');
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly workers: () => readonly Worker[],
    private readonly options: ConnectionWatchdogOptions = DEFAULT_CONNECTION_WATCHDOG,
    /** Called after each reset, with the queue whose worker it was (for metrics and tests). */
    private readonly onReset: (queue: string) => void = () => undefined,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.checkAll(), this.options.intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round of checks; rounds never overlap, since a dead connection makes one slow. */
  async checkAll(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      await Promise.all(this.workers().map((worker) => this.check(worker)));
    } finally {
      this.checking = false;
    }
  }

  private async check(worker: Worker): Promise<void> {
    if (worker.closing || !worker.isRunning()) return;
    const connections = worker.backend as unknown as WorkerConnections;
    const client = await connections.client;
    // Reconnecting or connecting: ioredis is already on it.
    if (client.status !== 'ready') return;
    const answered = await Promise.race([
      client.ping().then(
        () => true,
        () => true, // An error is an answer: the connection is alive, and ioredis handles the rest.
      ),
      delay(this.options.timeoutMs).then(() => false),
    ]);
    if (answered || worker.closing) return;
    this.logger.warn(
      `queue ${worker.name}: Redis did not answer a PING within ${this.options.timeoutMs} ms on a ready connection; resetting the worker's connections`,
    );
    const blocking = await connections.blockingClient;
    for (const connection of [client, blocking]) connection?.stream?.destroy();
    this.onReset(worker.name);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
