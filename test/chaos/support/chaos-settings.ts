/*
 * Sizes and knobs of the chaos suite. One code path, two scales: `small` runs inside
 * `make test` (jest, ~3 minutes on 2 cores) and asserts the zeros; `full`
 * (`CHAOS_SCALE=full`, `make chaos`) runs the sizes of the reliability issue and also
 * asserts the timing targets, which are too noisy to assert on a busy 2-core test run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../e2e/support/deployment.js';

export type ChaosScale = 'small' | 'full';

export interface ChaosSettings {
  scale: ChaosScale;
  /** Where results.json and results.md go: `chaos/` for the full run, a temp dir otherwise. */
  outDir: string;
  /** Worker hosts of the main deployment (scenarios 1-5). */
  workers: number;
  /** Environment of every host of the main deployment. */
  hostEnv: Record<string, string>;
  /** How often progress lines are printed while a scenario runs. */
  progressEveryMs: number;
  workerKills: {
    orders: number;
    ratePerSec: number;
    killEveryMs: number;
    drainTimeoutMs: number;
    deadlineMs: number;
  };
  redisRestart: {
    ratePerSec: number;
    beforeMs: number;
    downMs: number;
    afterMs: number;
    /**
     * SIGTERM: a stop, after which the AOF has every acknowledged write. SIGKILL is a crash: with
     * `appendfsync everysec` Redis may acknowledge writes whose AOF write it postponed behind a
     * slow fsync (up to 2 s), and those are gone after the restart. That is Redis' documented
     * limit (docs/reliability.md), not the coordinator's, so the zero-loss checks run with SIGTERM.
     */
    signal: NodeJS.Signals;
    answerWithinMs: number;
    resumeWithinMs: number;
    drainTimeoutMs: number;
    deadlineMs: number;
  };
  omsOutage: {
    ratePerSec: number;
    baselineMs: number;
    downMs: number;
    afterMs: number;
    /** Latency of every order-management call, so calls overlap and the bulkhead has work to do. */
    latencyMs: number;
    p99RatioMax: number;
    drainTimeoutMs: number;
    deadlineMs: number;
  };
  rollingRestart: {
    ratePerSec: number;
    /** `SHUTDOWN_GRACE_MS` of the worker hosts during the roll. */
    graceMs: number;
    /** Order-management latency: every order's tasks run well within the grace. */
    taskMs: number;
    drainTimeoutMs: number;
    deadlineMs: number;
  };
  webhookStorm: {
    orders: number;
    ratePerSec: number;
    copies: number;
    shuffleMs: number;
    /** Share of orders cancelled once fulfilled: their refund events storm too. */
    cancelShare: number;
    drainTimeoutMs: number;
    deadlineMs: number;
  };
  versionSkew: {
    tasks: number;
    ratePerSec: number;
    drainTimeoutMs: number;
    deadlineMs: number;
  };
}

const SECOND = 1_000;
const MINUTE = 60_000;

/** Reads `CHAOS_SCALE` (`small` unless `full`) and `CHAOS_OUT_DIR`. */
export function chaosSettings(env: NodeJS.ProcessEnv = process.env): ChaosSettings {
  const scale: ChaosScale = env['CHAOS_SCALE'] === 'full' ? 'full' : 'small';
  const full = scale === 'full';
  const pick = <T>(small: T, big: T): T => (full ? big : small);
  const outDir =
    env['CHAOS_OUT_DIR'] ??
    (full ? path.join(repoRoot, 'chaos') : mkdtempSync(path.join(tmpdir(), 'coordinator-chaos-')));
  const graceMs = pick(10, 30) * SECOND;
  return {
    scale,
    outDir,
    workers: 3,
    hostEnv: {
      // Each worker host runs this many jobs per queue at once: more than the order-management
      // bulkhead lets through, so a missing bulkhead shows at the fake.
      COORDINATOR_CONCURRENCY: '25',
      SHUTDOWN_GRACE_MS: String(graceMs),
      // The hosts' output is kept in memory by the harness: tens of thousands of jobs at info
      // level would be hundreds of megabytes. Warnings (retries, deferrals) are still there.
      LOG_LEVEL: 'warn',
    },
    progressEveryMs: 5 * SECOND,
    workerKills: {
      orders: pick(2_000, 20_000),
      ratePerSec: pick(100, 120),
      killEveryMs: 2 * SECOND,
      // With a kill every 2 s most workers are restarting most of the time (a start takes
      // 6-10 s on a busy 2-core machine): the bulk of the work is done after the load.
      drainTimeoutMs: pick(2, 8) * MINUTE,
      deadlineMs: pick(3, 12) * MINUTE,
    },
    redisRestart: {
      ratePerSec: pick(40, 80),
      beforeMs: pick(3, 10) * SECOND,
      downMs: 5 * SECOND,
      afterMs: pick(4, 10) * SECOND,
      signal: 'SIGTERM',
      answerWithinMs: SECOND,
      resumeWithinMs: 30 * SECOND,
      drainTimeoutMs: pick(1, 3) * MINUTE,
      deadlineMs: pick(2, 5) * MINUTE,
    },
    omsOutage: {
      ratePerSec: pick(40, 80),
      baselineMs: pick(6, 20) * SECOND,
      downMs: pick(8, 30) * SECOND,
      afterMs: pick(3, 10) * SECOND,
      latencyMs: 50,
      p99RatioMax: 1.2,
      drainTimeoutMs: pick(1.5, 3) * MINUTE,
      deadlineMs: pick(3, 6) * MINUTE,
    },
    rollingRestart: {
      ratePerSec: pick(30, 60),
      graceMs,
      taskMs: pick(1, 3) * SECOND,
      drainTimeoutMs: pick(1, 3) * MINUTE,
      deadlineMs: pick(2, 6) * MINUTE,
    },
    webhookStorm: {
      orders: pick(60, 500),
      ratePerSec: pick(30, 60),
      copies: 10,
      shuffleMs: 100,
      cancelShare: 0.3,
      drainTimeoutMs: pick(1, 3) * MINUTE,
      deadlineMs: pick(2, 5) * MINUTE,
    },
    versionSkew: {
      tasks: pick(20, 400),
      ratePerSec: pick(20, 50),
      // A deferred job comes back after 5 s and may land on the older worker again (and
      // again): the wait covers a long run of bad luck, it is not the expected time.
      drainTimeoutMs: pick(2, 4) * MINUTE,
      deadlineMs: pick(3, 6) * MINUTE,
    },
  };
}
