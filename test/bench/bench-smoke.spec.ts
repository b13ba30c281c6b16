/*
 * The benchmark harness (`make bench`, bench/run.mjs) at smoke size: every case runs end to end
 * against real host processes, its own Redis and a load generator, and writes its results. Nothing
 * about speed is asserted: at these sizes the numbers mean nothing; `make bench` measures.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const RUN_LIMIT_MS = 170_000;

interface Median {
  [field: string]: number | undefined;
}
interface VariantMedians {
  medians: Record<string, Median>;
}
interface Results {
  settings: { smoke: boolean };
  machine: { cpu: string; cores: number; node: string };
  errors: { case: string; message: string }[];
  targets: { case: string; measure: string; target: string; met?: boolean }[];
  cases: {
    enqueue: VariantMedians & { ratios: Median };
    tasks: { byConcurrency: Record<string, VariantMedians & { ratios: Median }> };
    e2e: { byRate: Record<string, VariantMedians> };
    isolation: VariantMedians & { ratios: Record<string, Median> };
    footprint: VariantMedians;
  };
}

/** Runs the harness in smoke mode; resolves with its exit code and output. */
function runSmoke(outDir: string): Promise<{ code: number | string; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bench/run.mjs'], {
      cwd: repoRoot,
      // jest's --experimental-vm-modules is not for the harness or the hosts it starts.
      env: { ...process.env, NODE_OPTIONS: '', BENCH_SMOKE: '1', BENCH_OUT: outDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // SIGTERM lets the harness stop every process it started; SIGKILL only if it does not exit.
    const term = setTimeout(() => child.kill('SIGTERM'), RUN_LIMIT_MS);
    const kill = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS + 10_000);
    child.once('exit', (code, signal) => {
      clearTimeout(term);
      clearTimeout(kill);
      resolve({ code: code ?? signal ?? 'unknown', output });
    });
  });
}

const positive = (value: number | undefined) => typeof value === 'number' && Number.isFinite(value) && value > 0;

describe('bench harness (smoke)', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it(
    'runs every case and writes results with numbers for each',
    async () => {
      const { code, output } = await runSmoke(outDir);
      if (code !== 0) throw new Error(`bench/run.mjs exited with ${code}:\n${output.slice(-6_000)}`);
      const results = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as Results;
      const markdown = readFileSync(join(outDir, 'results.md'), 'utf8');

      expect(results.settings.smoke).toBe(true);
      expect(results.errors).toEqual([]);
      expect(results.machine).toMatchObject({
        cpu: expect.any(String),
        cores: expect.any(Number),
        node: process.version,
      });
      const { enqueue, tasks, e2e, isolation, footprint } = results.cases;

      for (const variant of ['coordinator', 'raw']) {
        const m = enqueue.medians[variant]!;
        expect([variant, positive(m.rps), positive(m.p50), positive(m.p99), positive(m.rssPeakMb)]).toEqual([
          variant,
          true,
          true,
          true,
          true,
        ]);
      }
      expect(positive(enqueue.ratios.rps) && positive(enqueue.ratios.p99)).toBe(true);
      // The api-host ran with tracing on: it recorded spans and dropped them (the no-op exporter);
      // the OTLP variant's spans reached the harness's sink.
      expect(positive(enqueue.medians.coordinator!.spansDropped)).toBe(true);
      expect(positive(enqueue.medians['coordinator-otlp']!.traceExportBytes)).toBe(true);
      expect([enqueue.medians.raw!.spansDropped, enqueue.medians.raw!.traceExportBytes]).toEqual([0, 0]);

      const concurrencies = Object.values(tasks.byConcurrency);
      expect(concurrencies.length).toBeGreaterThan(0);
      for (const run of concurrencies) {
        expect(positive(run.medians.coordinator!.jobsPerSecond) && positive(run.medians.raw!.jobsPerSecond)).toBe(true);
        expect(positive(run.ratios.jobsPerSecond)).toBe(true);
      }

      const rates = Object.values(e2e.byRate);
      expect(rates.length).toBeGreaterThan(0);
      for (const m of rates.flatMap((rate) => [rate.medians.coordinator!, rate.medians.raw!])) {
        expect(positive(m.jobs) && positive(m.rps) && positive(m.httpP99)).toBe(true);
        // 202 → start may be below zero: a handler can start before the client has read its 202.
        for (const field of ['startP50', 'startP99', 'doneP50', 'doneP99'])
          expect(Number.isFinite(m[field])).toBe(true);
      }

      expect(positive(isolation.medians.healthy!.p99)).toBe(true);
      const faults = Object.keys(isolation.ratios);
      expect(faults.length).toBeGreaterThan(0);
      for (const fault of faults) expect(positive(isolation.ratios[fault]!.p99)).toBe(true);

      for (const host of ['api', 'worker']) {
        expect(positive(footprint.medians[host]!.readyMs) && positive(footprint.medians[host]!.idleRssMb)).toBe(true);
      }

      // Every target of issue 7 is listed, met or not.
      expect(results.targets).toHaveLength(12);
      for (const target of results.targets) expect(target.target).toMatch(/[≤≥]/);
      expect(markdown).toContain('## Targets');
      expect(markdown).toContain('SMOKE RUN');
    },
    RUN_LIMIT_MS + 20_000,
  );
});
