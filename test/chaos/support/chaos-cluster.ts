/*
 * The deployment the scenarios run against: the e2e deployment (Redis with AOF, the fakes
 * in this process, the api-host from its bin) plus N worker hosts, each its own OS process
 * on 127.0.0.1. Every process it ever started is remembered by pid and stopped in `stop()`,
 * whatever happened to the scenario in between; processes that exit on their own (not
 * stopped or killed by the harness) are recorded, since a worker that dies by itself
 * during an outage is a finding.
 */
import type { HostProcess } from '@coordinator/testing';
import { startDeployment, type Deployment } from '../../e2e/support/deployment.js';
import { JobCensus } from './job-census.js';

/** The handle `scripts/redis.mjs` returns: it can go down and come back on the same port and data. */
export interface RestartableRedis {
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  readonly running: boolean;
  down(signal?: NodeJS.Signals): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export interface UnplannedExit {
  pid: number;
  kind: string;
  code: number | string;
  at: number;
}

export interface ChaosClusterOptions {
  workers: number;
  /** Environment of every host; `workerEnv[i]` is added for worker slot `i`. */
  env: Record<string, string>;
  workerEnv?: Record<string, string>[];
}

export class ChaosCluster {
  /** Current worker process per slot; undefined while a slot is being restarted. */
  readonly slots: (HostProcess | undefined)[];
  readonly unplannedExits: UnplannedExit[] = [];
  readonly census: JobCensus;
  private readonly started: HostProcess[] = [];
  private readonly planned = new Set<number>();

  private constructor(
    readonly deployment: Deployment,
    private readonly options: ChaosClusterOptions,
  ) {
    this.slots = Array.from({ length: options.workers }, () => undefined);
    this.census = new JobCensus(deployment.redis.url);
  }

  static async start(options: ChaosClusterOptions): Promise<ChaosCluster> {
    const deployment = await startDeployment({ ...options.env, ...options.workerEnv?.[0] });
    const cluster = new ChaosCluster(deployment, options);
    cluster.track(deployment.api);
    cluster.track(deployment.worker);
    cluster.slots[0] = deployment.worker;
    try {
      await Promise.all(cluster.slots.map((_, slot) => (slot === 0 ? undefined : cluster.startWorker(slot))));
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  get redis(): RestartableRedis {
    return this.deployment.redis as unknown as RestartableRedis;
  }

  get oms() {
    return this.deployment.oms;
  }

  get psp() {
    return this.deployment.provider;
  }

  get call() {
    return this.deployment.call;
  }

  /** Worker processes up right now, with their slots. */
  liveWorkers(): { slot: number; worker: HostProcess }[] {
    return this.slots.flatMap((worker, slot) => (worker ? [{ slot, worker }] : []));
  }

  /** Starts a worker host in `slot` (replacing nothing: stop the old one first, or surge). */
  async startWorker(slot: number, extraEnv: Record<string, string> = {}): Promise<HostProcess> {
    const worker = await this.deployment.startWorker({ ...this.options.workerEnv?.[slot], ...extraEnv });
    this.track(worker);
    this.slots[slot] = worker;
    return worker;
  }

  /** Sends `signal` to the slot's worker and waits for its exit; SIGKILL after `killAfterMs`. */
  async stopWorker(slot: number, signal: NodeJS.Signals, killAfterMs = 15_000): Promise<number | string> {
    const worker = this.slots[slot];
    if (!worker) throw new Error(`no worker in slot ${slot}`);
    this.planned.add(worker.pid);
    this.slots[slot] = undefined;
    return worker.stop(signal, killAfterMs);
  }

  /** Stops every process this cluster started, by pid, then Redis and the fakes. */
  async stop(): Promise<void> {
    for (const host of this.started) this.planned.add(host.pid);
    await Promise.all(this.started.map((host) => host.stop('SIGTERM', 5_000)));
    await this.deployment.stop();
    await this.census.close();
  }

  private track(host: HostProcess): void {
    this.started.push(host);
    void host.exited.then((code) => {
      if (!this.planned.has(host.pid))
        this.unplannedExits.push({ pid: host.pid, kind: host.kind, code, at: Date.now() });
    });
  }
}
