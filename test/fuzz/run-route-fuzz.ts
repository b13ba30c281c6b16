/*
 * One fuzzing run against one API host: fast-check generates the cases, each becomes a
 * real request, the oracle judges the answer, and a failure comes back as a message
 * with the seed, the replay path and the counterexample as sent and as answered.
 */
import fc from 'fast-check';
import { judge } from './answer-oracle.js';
import {
  describeExchange,
  fuzzCase,
  learn,
  materialize,
  send,
  type FuzzContext,
  type FuzzRoute,
} from './route-fuzz.js';
import type { SchemaResolver } from './schema-values.js';

/** Options of {@link runRouteFuzz}. */
export interface RouteFuzzOptions {
  /** Names the host in messages: `in-process`, `process`. */
  target: string;
  routes: readonly FuzzRoute[];
  resolve: SchemaResolver;
  /** Task names, for ids shaped like task ids. */
  taskNames: readonly string[];
  ctx: FuzzContext;
  runs: number;
  seed: number;
  /** A counterexample path to replay (with its seed). */
  path?: string;
  /** Stops generating new cases after this long; the run then passes with fewer cases. */
  timeLimitMs: number;
  progressEvery: number;
  /** More checks after each answer (prototype pollution in this process, a dead host process). */
  afterEach?: () => string[];
  /**
   * Keep going after failures and report one example of each kind at the end, instead
   * of stopping and shrinking at the first (`FUZZ_COLLECT=1`, for exploring).
   */
  collect?: boolean;
  /** How to rerun this: printed with a failure. */
  replayCommand: string;
  log: (line: string) => void;
}

/** What a run did. */
export interface RouteFuzzReport {
  /** Requests sent, shrinking included. */
  requests: number;
  /** Cases fast-check ran (before any shrinking). */
  cases: number;
  interrupted: boolean;
  durationMs: number;
  /** `POST /orders` → status → count. */
  statuses: Map<string, Map<number | 'none', number>>;
  /** Routes (`POST /orders`) where a broken body was refused naming the field. */
  validationReached: Set<string>;
  refusedCredentials: number;
  /** Undefined when the run passed. */
  failure?: string;
}

/** Runs the fuzzer; never throws for a failed property (see `failure`). */
export async function runRouteFuzz(options: RouteFuzzOptions): Promise<RouteFuzzReport> {
  const { ctx, log } = options;
  const started = Date.now();
  const report: RouteFuzzReport = {
    requests: 0,
    cases: 0,
    interrupted: false,
    durationMs: 0,
    statuses: new Map(),
    validationReached: new Set(),
    refusedCredentials: 0,
  };
  const count = (route: string, status: number | 'none') => {
    const byStatus = report.statuses.get(route) ?? new Map<number | 'none', number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    report.statuses.set(route, byStatus);
  };
  const progress = () => {
    const totals = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, none: 0 };
    for (const byStatus of report.statuses.values()) {
      for (const [status, n] of byStatus) {
        const bucket = status === 'none' ? 'none' : (`${Math.floor(status / 100)}xx` as keyof typeof totals);
        totals[bucket] = (totals[bucket] ?? 0) + n;
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    log(
      `fuzz[${options.target}] ${report.requests}/${options.runs} requests in ${seconds} s: ${JSON.stringify(totals)}`,
    );
  };

  const collected = new Map<string, string>();
  const property = fc.asyncProperty(fuzzCase(options.routes, options.resolve, options.taskNames), async (c) => {
    const request = materialize(c, ctx);
    const answer = await send(request);
    report.requests += 1;
    const routeName = `${c.route.method} ${c.route.url}`;
    count(routeName, 'error' in answer ? 'none' : answer.status);
    learn(answer, ctx);
    const verdict = judge(c, request, answer);
    if (verdict.validationReached) report.validationReached.add(routeName);
    if (verdict.refusedCredential) report.refusedCredentials += 1;
    const problems = [...verdict.problems, ...(options.afterEach?.() ?? [])];
    if (report.requests % options.progressEvery === 0) progress();
    if (problems.length > 0 && options.collect) {
      const kind = `${c.route.method} ${c.route.url} ${c.body?.label.replace(/ at .*| \d+.*/, '') ?? ''} ${problems[0]!
        .replace(/\d+/g, '#')
        .replace(/"[^"]*"/g, '"…"')
        .slice(0, 80)}`;
      if (!collected.has(kind))
        collected.set(kind, `${problems.map((p) => `- ${p}`).join('\n')}\n${describeExchange(c, request, answer)}`);
      return;
    }
    if (problems.length > 0) {
      throw new Error(`${problems.map((p) => `- ${p}`).join('\n')}\n${describeExchange(c, request, answer)}`);
    }
  });

  const details = await fc.check(property, {
    numRuns: options.runs,
    seed: options.seed,
    ...(options.path ? { path: options.path } : {}),
    plugins: [fc.interruptAfterTimeLimit(options.timeLimitMs)],
  });
  report.cases = details.numRuns;
  report.interrupted = details.interrupted;
  report.durationMs = Date.now() - started;
  if (report.requests % options.progressEvery !== 0) progress();
  if (collected.size > 0) {
    report.failure = [
      `route fuzzing (${options.target}) found ${collected.size} kinds of failing requests, seed ${options.seed}:`,
      ...collected.values(),
    ].join('\n\n');
  }
  if (details.failed) {
    const error = details.errorInstance;
    const replay = details.counterexamplePath
      ? `FUZZ_SEED=${options.seed} FUZZ_PATH=${details.counterexamplePath} ${options.replayCommand}`
      : `FUZZ_SEED=${options.seed} ${options.replayCommand}`;
    report.failure = [
      `route fuzzing (${options.target}) found a failing request after ${details.numRuns} cases (${details.numShrinks} shrinks), seed ${options.seed}`,
      `replay: ${replay}`,
      error instanceof Error ? error.message : String(error ?? 'fast-check gave up generating cases'),
    ].join('\n');
  }
  return report;
}

/** The statuses of a run as one line per route, for the log. */
export function statusTable(report: RouteFuzzReport): string {
  return [...report.statuses.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([route, byStatus]) => {
      const cells = [...byStatus.entries()]
        .sort(([a], [b]) => String(a).localeCompare(String(b)))
        .map(([s, n]) => `${s}×${n}`);
      return `  ${route}: ${cells.join(' ')}`;
    })
    .join('\n');
}
