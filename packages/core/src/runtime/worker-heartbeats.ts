import type { Redis } from 'ioredis';

/**
 * What a worker host says about itself every few seconds: which queues it serves, with
 * which extensions at which versions. The api-host and the CLI read these to tell
 * which queues nobody serves and which hosts run skewed versions.
 */
export interface WorkerHeartbeat {
  id: string;
  hostname: string;
  pid: number;
  startedAt: string;
  heartbeatAt: string;
  queues: string[];
  extensions: { name: string; version: string }[];
  coreVersion: string;
}

/** How often a worker host writes its heartbeat. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/** A worker host whose last heartbeat is older than this is not live. */
export const HEARTBEAT_STALE_MS = 15_000;

/**
 * Heartbeats in Redis, under the deployment's prefix (so a Redis Cluster keeps them in
 * the queues' slot): one expiring key per worker host and a sorted index by time.
 */
export class WorkerHeartbeats {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private get index(): string {
    return `${this.prefix}:workers`;
  }

  private key(id: string): string {
    return `${this.prefix}:worker:${id}`;
  }

  async beat(heartbeat: WorkerHeartbeat, now = Date.now()): Promise<void> {
    await this.redis
      .multi()
      .set(this.key(heartbeat.id), JSON.stringify(heartbeat), 'PX', HEARTBEAT_STALE_MS * 2)
      .zadd(this.index, now, heartbeat.id)
      // Forget hosts gone for long, so the index does not grow with every restart.
      .zremrangebyscore(this.index, '-inf', now - HEARTBEAT_STALE_MS * 4)
      .exec();
  }

  async remove(id: string): Promise<void> {
    await this.redis.multi().del(this.key(id)).zrem(this.index, id).exec();
  }

  /** Worker hosts whose last heartbeat is recent, oldest start first. */
  async live(now = Date.now()): Promise<WorkerHeartbeat[]> {
    const ids = await this.redis.zrangebyscore(this.index, now - HEARTBEAT_STALE_MS, '+inf');
    if (ids.length === 0) return [];
    const values = await this.redis.mget(...ids.map((id) => this.key(id)));
    return values
      .filter((v): v is string => v !== null)
      .map((v) => JSON.parse(v) as WorkerHeartbeat)
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }
}

/** Writes a heartbeat now and every interval until stopped; failures are retried next beat. */
export class HeartbeatLoop {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private inFlight: Promise<boolean> | undefined;

  constructor(
    private readonly heartbeats: WorkerHeartbeats,
    private readonly describe: () => WorkerHeartbeat,
    private readonly intervalMs = HEARTBEAT_INTERVAL_MS,
  ) {}

  /**
   * Writes a heartbeat now and starts the interval. A fail-fast connection still coming
   * up rejects that first beat: it is then retried every 100 ms in the background (for
   * up to one interval), so the host is listed at once without delaying the start.
   */
  async start(): Promise<void> {
    this.stopped = false;
    if (!(await this.beat())) void this.retryFirstBeat();
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops beating and removes the entry, so the host disappears at once, not after the stale period. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    // A beat landing after the removal would list the host again until it went stale.
    await Promise.race([this.inFlight, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    await this.heartbeats.remove(this.describe().id).catch(() => undefined);
  }

  private async retryFirstBeat(): Promise<void> {
    const deadline = Date.now() + this.intervalMs;
    while (!this.stopped && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100).unref());
      if (this.stopped || (await this.beat())) return;
    }
  }

  private beat(): Promise<boolean> {
    const beat = this.write();
    this.inFlight = beat;
    return beat;
  }

  private async write(): Promise<boolean> {
    try {
      await this.heartbeats.beat({ ...this.describe(), heartbeatAt: new Date().toISOString() });
      return true;
    } catch {
      // Redis is down: readiness says so; the next beat retries.
      return false;
    }
  }
}
