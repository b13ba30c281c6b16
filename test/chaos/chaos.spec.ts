/*
 * The chaos suite of the reliability issue: the deployment as separate processes (Redis
 * with AOF, the fakes, the api-host, three worker hosts), load through the real API,
 * faults injected, and a checker that counts at two levels, delivery (jobs in Redis) and
 * effect (the downstream fakes): lost, failed, duplicated, unexpected, recovered.
 *
 *   pnpm test -- test/chaos/chaos.spec.ts    # small sizes (~3 min), part of `make test`
 *   make chaos                               # CHAOS_SCALE=full: the issue's sizes, results in chaos/
 *
 * Each scenario has a hard deadline; every process is stopped by pid in afterAll.
 * Results (results.json, results.md) go to chaos/ for the full run, to a temp dir otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { repoRoot } from '../e2e/support/deployment.js';
import { omsOutage } from './scenarios/oms-outage.js';
import { redisRestart } from './scenarios/redis-restart.js';
import { rollingRestart } from './scenarios/rolling-restart.js';
import { versionSkew } from './scenarios/version-skew.js';
import { webhookStorm } from './scenarios/webhook-storm.js';
import { workerKills } from './scenarios/worker-kills.js';
import { ChaosCluster } from './support/chaos-cluster.js';
import { chaosSettings } from './support/chaos-settings.js';
import { withDeadline } from './support/deadline.js';
import { progress } from './support/progress.js';
import { loadAverage, machineInfo, writeReport } from './support/results-report.js';
import type { ScenarioContext } from './support/scenario-context.js';
import { failedChecks, type ScenarioResult } from './support/scenario-result.js';
import { buildSkewFixtures } from './support/skew-fixtures.js';

const settings = chaosSettings();
const began = Date.now();
const loadAtStart = loadAverage();
const results: ScenarioResult[] = [];
/** Order ids any scenario got a 202 for. */
const known = new Set<string>();
let cluster: ChaosCluster | undefined;
let fixtures: { older: string; newer: string } | undefined;

/** Runs one scenario under its deadline; an exception becomes a result with `error`, so the report has it. */
async function run(
  id: number,
  name: string,
  deadlineMs: number,
  scenario: (signal: AbortSignal) => Promise<ScenarioResult>,
): Promise<ScenarioResult> {
  const startedAt = Date.now();
  let result: ScenarioResult;
  try {
    result = await withDeadline(`scenario ${id} ${name}`, deadlineMs, scenario);
  } catch (error) {
    result = {
      id,
      name,
      title: name,
      startedAt: new Date(startedAt).toISOString(),
      durationMs: Date.now() - startedAt,
      settings: {},
      timings: {},
      observed: {},
      checks: [],
      headline: 'did not finish',
      error: (error as Error).stack ?? String(error),
    };
  }
  results.push(result);
  const failed = failedChecks(result);
  progress(
    `${id} ${name}: ${failed.length ? `FAILED (${failed.length})` : 'ok'} in ${(result.durationMs / 1000).toFixed(1)} s — ${result.headline}`,
  );
  return result;
}

const context = (signal: AbortSignal): ScenarioContext => {
  if (!cluster) throw new Error('the deployment did not start');
  return { cluster, settings, known, signal };
};

/** Test timeout: the scenario's own deadline decides; this only has to be longer. */
const margin = (deadlineMs: number) => deadlineMs + 60_000;

describe(`chaos suite (${settings.scale})`, () => {
  beforeAll(async () => {
    progress(
      `scale ${settings.scale}, results to ${settings.outDir}; starting Redis, fakes, api-host, ${settings.workers} worker hosts`,
    );
    fixtures = await buildSkewFixtures();
    cluster = await ChaosCluster.start({ workers: settings.workers, env: settings.hostEnv });
    progress(
      `deployment up: api ${cluster.deployment.api.url}, workers ${cluster.slots.map((w) => w?.pid).join(', ')}`,
    );
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    const report = {
      scale: settings.scale,
      startedAt: new Date(began).toISOString(),
      durationMs: Date.now() - began,
      machine: machineInfo(loadAtStart),
      // A path inside the repository is recorded relative to it, so committed results carry no machine's path.
      settings: {
        ...settings,
        outDir: settings.outDir.startsWith(repoRoot) ? path.relative(repoRoot, settings.outDir) : settings.outDir,
      },
      scenarios: results,
    };
    const text = writeReport(settings.outDir, report);
    process.stderr.write(`\n${text}\n`);
    progress(`results: ${settings.outDir}/results.json and results.md`);
  }, 120_000);

  it(
    '1: SIGKILL of a random worker every 2 s loses nothing, fails nothing, duplicates no effect',
    async () => {
      const result = await run(1, 'worker-kills', settings.workerKills.deadlineMs, (signal) =>
        workerKills(context(signal)),
      );
      expect(failedChecks(result)).toEqual([]);
    },
    margin(settings.workerKills.deadlineMs),
  );

  it(
    '2: Redis down for 5 s: 503 at once and never 202, then consumption resumes in the same workers, nothing lost',
    async () => {
      const result = await run(2, 'redis-restart', settings.redisRestart.deadlineMs, (signal) =>
        redisRestart(context(signal)),
      );
      expect(failedChecks(result)).toEqual([]);
    },
    margin(settings.redisRestart.deadlineMs),
  );

  it(
    '3: order management down: the breaker opens, no job fails, the backlog drains within the bulkheads',
    async () => {
      const result = await run(3, 'oms-outage', settings.omsOutage.deadlineMs, (signal) => omsOutage(context(signal)));
      expect(failedChecks(result)).toEqual([]);
    },
    margin(settings.omsOutage.deadlineMs),
  );

  it(
    '4: rolling SIGTERM of every worker host: no job stalls, every host exits 0',
    async () => {
      const result = await run(4, 'rolling-restart', settings.rollingRestart.deadlineMs, (signal) =>
        rollingRestart(context(signal)),
      );
      expect(failedChecks(result)).toEqual([]);
    },
    margin(settings.rollingRestart.deadlineMs),
  );

  it(
    '5: every webhook event delivered 10 times concurrently and shuffled has exactly one effect',
    async () => {
      const result = await run(5, 'webhook-storm', settings.webhookStorm.deadlineMs, (signal) =>
        webhookStorm(context(signal)),
      );
      expect(failedChecks(result)).toEqual([]);
    },
    margin(settings.webhookStorm.deadlineMs),
  );

  it(
    '6: version skew: jobs of the newer schema never fail and all complete on the newer worker',
    async () => {
      const result = await run(6, 'version-skew', settings.versionSkew.deadlineMs, (signal) => {
        if (!fixtures) throw new Error('the skew fixtures were not built');
        return versionSkew(settings, fixtures, signal);
      });
      expect(failedChecks(result)).toEqual([]);
    },
    margin(settings.versionSkew.deadlineMs),
  );
});
