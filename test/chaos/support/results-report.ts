/*
 * The run's record: `results.json` with every count, timing and setting, and
 * `results.md`, a table readable at a glance (also printed at the end of the run).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
// @ts-expect-error -- plain JS, shared with `make bench`'s report; it has no type declarations.
import { machineInfo as benchMachineInfo } from '../../../bench/lib/report.mjs';
import type { ChaosSettings } from './chaos-settings.js';
import type { ScenarioResult } from './scenario-result.js';

export interface ChaosReport {
  scale: string;
  startedAt: string;
  durationMs: number;
  machine: {
    cpu: string;
    cores: number;
    memoryGb: number;
    node: string;
    os: string;
    /** 1/5/15-minute load averages when the run began and when it ended. */
    loadAverage: { start: number[]; end: number[] };
  };
  settings: ChaosSettings;
  scenarios: ScenarioResult[];
}

/** The 1/5/15-minute load averages now, as the benchmark report records them. */
export function loadAverage(): number[] {
  return (benchMachineInfo() as { loadAverage: number[] }).loadAverage;
}

/** The machine as the benchmark report describes it, with the load average at both ends of the run. */
export function machineInfo(loadAtStart: number[]): ChaosReport['machine'] {
  const { loadAverage: end, ...machine } = benchMachineInfo() as Omit<ChaosReport['machine'], 'loadAverage'> & {
    loadAverage: number[];
  };
  return { ...machine, loadAverage: { start: loadAtStart, end } };
}

const dash = (v: number | undefined) => (v === undefined ? '–' : v.toLocaleString('en-US'));

export function markdown(report: ChaosReport): string {
  const m = report.machine;
  const lines = [
    `# Chaos run (${report.scale})`,
    '',
    `${report.startedAt}, ${(report.durationMs / 60_000).toFixed(1)} min; ${m.cpu}, ${m.cores} cores, ` +
      `${m.memoryGb} GB, Node.js ${m.node}; load average ${m.loadAverage.start.join(' / ')} at the start, ` +
      `${m.loadAverage.end.join(' / ')} at the end.`,
    '',
    'Delivery level (jobs in Redis) and effect level (the downstream fakes), per scenario. `lost`: accepted',
    'tasks whose work did not complete; `dup. deliveries`: jobs started more than once (expected under',
    'at-least-once, reported); `recovered`: completed after a stall; `dup. effects`: an effect beyond the one',
    'expected per order or event; `unexpected`: effects for orders never accepted.',
    '',
    '| # | scenario | accepted | jobs | lost | failed | dup. deliveries | recovered | stalled | dup. effects | unexpected | key figures | result |',
    '| - | -------- | -------: | ---: | ---: | -----: | --------------: | --------: | ------: | -----------: | ---------: | ----------- | ------ |',
  ];
  for (const r of report.scenarios) {
    const d = r.delivery;
    const e = r.effects;
    const failed = r.checks.filter((c) => c.asserted && !c.ok).length + (r.error ? 1 : 0);
    const notes = r.checks.filter((c) => !c.asserted && !c.ok).length;
    const result = failed ? `✗ ${failed} failed` : notes ? `✓ (${notes} target${notes > 1 ? 's' : ''} missed)` : '✓';
    lines.push(
      `| ${r.id} | ${r.name} | ${dash(d?.accepted)} | ${dash(d?.jobs)} | ${dash(d?.lost)} | ${dash(d?.failed)} | ` +
        `${dash(d?.duplicated)} | ${dash(d?.recovered)} | ${dash(d?.stalled)} | ${dash(e?.duplicateTotal)} | ` +
        `${dash(e?.unexpected)} | ${r.headline} | ${result} |`,
    );
  }
  for (const r of report.scenarios) {
    lines.push('', `## ${r.id}. ${r.title}`, '');
    if (r.error) lines.push(`**error:** ${r.error}`, '');
    for (const c of r.checks) {
      const mark = c.ok ? '✓' : c.asserted ? '✗' : '△';
      lines.push(
        `- ${mark} ${c.name}: ${JSON.stringify(c.actual)} (expected ${c.expected}${c.asserted ? '' : ', recorded'})`,
      );
    }
    const timings = Object.entries(r.timings)
      .map(([k, v]) => `${k} ${v === null ? '–' : `${(v / 1000).toFixed(2)} s`}`)
      .join(', ');
    if (timings) lines.push(`- timings: ${timings}`);
  }
  lines.push('', '△ = a target recorded but not asserted at this scale (timings on a shared 2-core machine).', '');
  return lines.join('\n');
}

/** Writes results.json and results.md into `dir`; returns the markdown. */
export function writeReport(dir: string, report: ChaosReport): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  const text = markdown(report);
  writeFileSync(path.join(dir, 'results.md'), text);
  return text;
}
