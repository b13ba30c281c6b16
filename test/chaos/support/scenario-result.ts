/*
 * What a scenario hands back: its counts at both levels, its timings, and the checks that
 * decide it. A check is `asserted` when the suite fails on it at this scale; the others
 * (timing targets on a noisy machine) are recorded and shown, not enforced.
 */
import type { DeliveryCounts } from './delivery-check.js';
import type { EffectCounts } from './effect-ledger.js';
import { answerCounts, type Attempt } from './order-load.js';
import { latencySummary } from './latency.js';

export interface Check {
  name: string;
  /** What it must be, e.g. `= 0`, `<= 1000 ms`, `true`. */
  expected: string;
  actual: unknown;
  ok: boolean;
  asserted: boolean;
}

export interface LoadSummary {
  sent: number;
  accepted: number;
  /** Orders given up on (deadline) or refused with a non-retryable status. */
  notAccepted: number;
  attempts: number;
  answers: Record<string, number>;
  latencyMs: ReturnType<typeof latencySummary>;
}

export interface ScenarioResult {
  id: number;
  name: string;
  title: string;
  startedAt: string;
  durationMs: number;
  settings: Record<string, unknown>;
  load?: LoadSummary;
  delivery?: DeliveryCounts;
  effects?: EffectCounts;
  /** Named durations in ms (null when the moment never came). */
  timings: Record<string, number | null>;
  /** Scenario-specific observations (kills, exit codes, breaker timeline, …). */
  observed: Record<string, unknown>;
  checks: Check[];
  /** The scenario's key figures in a few words, for the table. */
  headline: string;
  error?: string;
}

/** Builds a check; `asserted` defaults to true. */
export function check(name: string, expected: string, actual: unknown, ok: boolean, asserted = true): Check {
  return { name, expected, actual, ok, asserted };
}

/** The zero checks every scenario shares, from its delivery and effect counts. */
export function zeroChecks(delivery: DeliveryCounts, effects: EffectCounts): Check[] {
  return [
    check('lost tasks', '= 0', delivery.lost, delivery.lost === 0),
    check('failed jobs', '= 0', delivery.failed, delivery.failed === 0),
    check('lost effects', '= 0', effects.missingTotal, effects.missingTotal === 0),
    check('duplicate effects', '= 0', effects.duplicateTotal, effects.duplicateTotal === 0),
    check('unexpected effects', '= 0', effects.unexpected, effects.unexpected === 0),
  ];
}

export function summariseLoad(load: {
  sent: number;
  accepted: readonly unknown[];
  attempts: readonly Attempt[];
  rejected: readonly unknown[];
  abandoned: readonly unknown[];
}): LoadSummary {
  return {
    sent: load.sent,
    accepted: load.accepted.length,
    notAccepted: load.rejected.length + load.abandoned.length,
    attempts: load.attempts.length,
    answers: answerCounts(load.attempts),
    latencyMs: latencySummary(load.attempts.map((a) => a.ms)),
  };
}

/** The asserted checks that failed, as lines for an assertion message. */
export function failedChecks(result: ScenarioResult): string[] {
  const lines = result.checks
    .filter((c) => c.asserted && !c.ok)
    .map((c) => `${result.name}: ${c.name} expected ${c.expected}, got ${JSON.stringify(c.actual)}`);
  if (result.error) lines.unshift(`${result.name}: ${result.error}`);
  return lines;
}
