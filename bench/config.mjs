// How big each case is: the full run (`make bench`) or the smoke run (BENCH_SMOKE=1, inside
// `make test`), with a few overrides from the environment for exploring:
//
//   BENCH_ROUNDS=5        rounds per case (each round runs every variant once, A B A B …)
//   BENCH_SECONDS=5       measured seconds of every load (warm-up not included)
//   BENCH_JOBS=5000       pre-filled jobs of the task case
//   BENCH_CASES=enqueue,tasks   only these cases (enqueue, tasks, e2e, isolation, footprint)
//   BENCH_OUT=/tmp/b      where results.json and results.md go (default: bench/)
//   BENCH_TRACING=off     hosts without tracing. Default `discard`: tracing on, every span recorded and
//                         handed to an exporter that drops it, in the host (a no-op exporter). `otlp`:
//                         spans also serialised and posted over OTLP/HTTP to a discard sink, what a
//                         collector adds. The smoke run traces in the enqueue case only, as tracing
//                         doubles a host's start-up.
//   BENCH_PROFILE_DIR=/tmp/prof   --cpu-prof for the api hosts of the enqueue case (<dir>/api, <dir>/api-untraced
//                         and the raw api in <dir>/raw-api, to compare) and the worker-host and the raw worker
//                         of the tasks case at concurrency 50 (<dir>/worker, <dir>/raw-worker); summarise the
//                         profiles with bench/profile-summary.mjs.
//                         Profiling slows the hosts: such a run's figures are marked `profiled` and are not a
//                         measurement.
//   BENCH_PROFILE_CONCURRENCY=1   with BENCH_PROFILE_DIR: profile the tasks case at this concurrency instead of 50.
//   BENCH_COMPARE=/tmp/before   another checkout of the coordinator, installed and built (say, a git worktree of
//                         the commit before a change): the enqueue and tasks cases add a variant `compared`
//                         (footprint: `api-compared` and `worker-compared`),
//                         its hosts run as `coordinator` does, alternating with the others in the same run, so
//                         a change is measured against the code before it on the same machine at the same time.
//   BENCH_COMPARE_ENV='{"RATE_LIMIT_MAX":"0"}'   extra environment of the `compared` variant's hosts only (JSON):
//                         with BENCH_COMPARE=. a setting is measured against the default, in one run.
//   BENCH_HOST_ENV='{"OTEL_BSP_SCHEDULE_DELAY":"500"}'   extra environment of the coordinator hosts (JSON), to
//                         try a setting; the run's results record it. The hosts' variables are otherwise
//                         not passed through from the caller's environment.
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { API_BIN, WORKER_BIN } from './lib/hosts.mjs';

export const CASES = ['enqueue', 'tasks', 'e2e', 'isolation', 'footprint'];

const FULL = {
  rounds: 3,
  /** 1 and 4: 50 busy connections, as fast as the server answers. */
  load: { connections: 50, warmupSeconds: 2, durationSeconds: 10 },
  /**
   * `coordinator-untraced`: the production api-host without tracing, to show what tracing costs;
   * `coordinator-otlp`: with its spans exported over OTLP/HTTP, to show what export adds.
   */
  enqueue: { variants: ['coordinator', 'coordinator-untraced', 'coordinator-otlp', 'raw'] },
  tasks: { jobs: 20_000, concurrencies: [50, 1] },
  /** The target's 2,000 req/s, and a tenth of it to see the queue's own latency without overload. */
  e2e: { rates: [2_000, 200], connections: 64, warmupSeconds: 1, durationSeconds: 10 },
  isolation: { variants: ['healthy', 'slow', 'timeout'], omsDelayMs: 5_000 },
  /** `-untraced`: the same host without tracing, to show what tracing costs at start-up. */
  footprint: {
    settleMs: 3_000,
    variants: ['api', 'worker', 'api-untraced', 'worker-untraced', 'raw-api', 'raw-worker'],
  },
};

const SMOKE = {
  rounds: 1,
  load: { connections: 10, warmupSeconds: 0, durationSeconds: 1 },
  enqueue: { variants: ['coordinator', 'coordinator-otlp', 'raw'] },
  // One variant less where two share a code path: every host start costs seconds.
  tasks: { jobs: 300, concurrencies: [50] },
  e2e: { rates: [200], connections: 16, warmupSeconds: 0, durationSeconds: 1 },
  isolation: { variants: ['healthy', 'timeout'], omsDelayMs: 5_000 },
  footprint: { settleMs: 200, variants: ['api', 'worker'] },
};

const positive = (name) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`${name} must be a positive number (got ${raw})`);
  return value;
};

export function loadConfig(env = process.env) {
  const smoke = env.BENCH_SMOKE === '1';
  const base = JSON.parse(JSON.stringify(smoke ? SMOKE : FULL));
  const rounds = positive('BENCH_ROUNDS');
  const seconds = positive('BENCH_SECONDS');
  const jobs = positive('BENCH_JOBS');
  if (rounds) base.rounds = Math.round(rounds);
  if (seconds) {
    base.load.durationSeconds = seconds;
    base.e2e.durationSeconds = seconds;
  }
  if (jobs) base.tasks.jobs = Math.round(jobs);
  const profileConcurrency = positive('BENCH_PROFILE_CONCURRENCY');
  if (profileConcurrency !== undefined && !base.tasks.concurrencies.includes(profileConcurrency)) {
    throw new Error(
      `BENCH_PROFILE_CONCURRENCY must be one the tasks case runs (${base.tasks.concurrencies.join(', ')}), got ${profileConcurrency}`,
    );
  }
  if (env.BENCH_COMPARE) {
    base.enqueue.variants.splice(base.enqueue.variants.indexOf('raw'), 0, 'compared');
    base.footprint.variants.splice(2, 0, 'api-compared', 'worker-compared');
  }
  if (env.BENCH_COMPARE_ENV && !env.BENCH_COMPARE)
    throw new Error('BENCH_COMPARE_ENV needs BENCH_COMPARE (`.` for this checkout)');
  const cases = env.BENCH_CASES ? env.BENCH_CASES.split(',').map((c) => c.trim()) : CASES;
  const unknown = cases.filter((c) => !CASES.includes(c));
  if (unknown.length) throw new Error(`BENCH_CASES names unknown cases: ${unknown.join(', ')} (known: ${CASES})`);
  const tracingMode = env.BENCH_TRACING || 'discard';
  if (!['discard', 'otlp', 'off'].includes(tracingMode)) {
    throw new Error(`BENCH_TRACING must be discard, otlp or off (got ${tracingMode})`);
  }
  return {
    ...base,
    smoke,
    cases,
    tracing: tracingMode !== 'off',
    /** Where traced hosts' spans go: dropped in the host (`discard`) or posted to the sink (`otlp`). */
    traceExport: tracingMode === 'off' ? 'discard' : tracingMode,
    tracedCases: smoke ? ['enqueue'] : CASES,
    outDir: env.BENCH_OUT || undefined,
    profileDir: env.BENCH_PROFILE_DIR || undefined,
    profileConcurrency,
    hostEnv: hostEnv(env.BENCH_HOST_ENV, 'BENCH_HOST_ENV'),
    compareRoot: compareRoot(env.BENCH_COMPARE),
    compareEnv: hostEnv(env.BENCH_COMPARE_ENV, 'BENCH_COMPARE_ENV'),
  };
}

function compareRoot(dir) {
  if (!dir) return undefined;
  const root = path.resolve(dir);
  for (const bin of [API_BIN, WORKER_BIN]) {
    if (!existsSync(path.join(root, bin))) {
      throw new Error(
        `BENCH_COMPARE: ${root} has no ${bin}; install and build that checkout first (pnpm install && pnpm build)`,
      );
    }
  }
  return root;
}

function hostEnv(json, name) {
  if (!json) return {};
  const parsed = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${name} must be a JSON object of variable names to values`);
  }
  return Object.fromEntries(Object.entries(parsed).map(([name, value]) => [name, String(value)]));
}
