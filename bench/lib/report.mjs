// The results as people read them: every target checked (met or not, never left out) and a
// markdown table per case, with the machine they were measured on.
import os from 'node:os';
import process from 'node:process';
import { fmt, fmtRatio } from './format.mjs';

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

/** One row per target of issue 7; value/baseline undefined when the case did not run or failed. */
export function checkTargets(cases) {
  const { enqueue, tasks, isolation, footprint } = cases;
  const e2e = cases.e2e?.byRate?.[2000];
  const c50 = tasks?.byConcurrency?.[50];
  const c1 = tasks?.byConcurrency?.[1];
  const fp = footprint?.medians;
  const row = (name, measure, value, baseline, ratioValue, target, met, unit = '') => ({
    case: name,
    measure,
    value,
    baseline,
    ratio: ratioValue,
    target,
    unit,
    met: typeof met === 'boolean' ? met : undefined,
  });
  const atLeast = (v, t) => (typeof v === 'number' ? v >= t : undefined);
  const atMost = (v, t) => (typeof v === 'number' ? v <= t : undefined);
  return [
    row(
      'enqueue',
      'req/s',
      enqueue?.medians.coordinator.rps,
      enqueue?.medians.raw.rps,
      enqueue?.ratios.rps,
      '≥ 0.85× raw',
      atLeast(enqueue?.ratios.rps, 0.85),
    ),
    row(
      'enqueue',
      'p99 (ms)',
      enqueue?.medians.coordinator.p99,
      enqueue?.medians.raw.p99,
      enqueue?.ratios.p99,
      '≤ 1.3× raw',
      atMost(enqueue?.ratios.p99, 1.3),
    ),
    row(
      'tasks',
      'jobs/s, concurrency 50',
      c50?.medians.coordinator.jobsPerSecond,
      c50?.medians.raw.jobsPerSecond,
      c50?.ratios.jobsPerSecond,
      '≥ 0.85× raw',
      atLeast(c50?.ratios.jobsPerSecond, 0.85),
    ),
    row(
      'tasks',
      'jobs/s, concurrency 1',
      c1?.medians.coordinator.jobsPerSecond,
      c1?.medians.raw.jobsPerSecond,
      c1?.ratios.jobsPerSecond,
      '≥ 0.85× raw',
      atLeast(c1?.ratios.jobsPerSecond, 0.85),
    ),
    row(
      'e2e',
      '202 → handler start p50 (ms)',
      e2e?.medians.coordinator.startP50,
      e2e?.medians.raw.startP50,
      undefined,
      '≤ 2 ms',
      atMost(e2e?.medians.coordinator.startP50, 2),
    ),
    row(
      'e2e',
      '202 → handler start p99 (ms)',
      e2e?.medians.coordinator.startP99,
      e2e?.medians.raw.startP99,
      undefined,
      '≤ 10 ms',
      atMost(e2e?.medians.coordinator.startP99, 10),
    ),
    row(
      'isolation',
      'api p99 (ms), OMS answering in 5 s',
      isolation?.medians.slow?.p99,
      isolation?.medians.healthy?.p99,
      isolation?.ratios.slow?.p99,
      '≤ 1.1× healthy',
      atMost(isolation?.ratios.slow?.p99, 1.1),
    ),
    row(
      'isolation',
      'api p99 (ms), OMS timing out',
      isolation?.medians.timeout?.p99,
      isolation?.medians.healthy?.p99,
      isolation?.ratios.timeout?.p99,
      '≤ 1.1× healthy',
      atMost(isolation?.ratios.timeout?.p99, 1.1),
    ),
    row(
      'footprint',
      'api RSS idle (MB)',
      fp?.api?.idleRssMb,
      fp?.['raw-api']?.idleRssMb,
      undefined,
      '≤ 150 MB',
      atMost(fp?.api?.idleRssMb, 150),
    ),
    row(
      'footprint',
      'worker RSS idle (MB)',
      fp?.worker?.idleRssMb,
      fp?.['raw-worker']?.idleRssMb,
      undefined,
      '≤ 150 MB',
      atMost(fp?.worker?.idleRssMb, 150),
    ),
    row(
      'footprint',
      'api start → ready (ms)',
      fp?.api?.readyMs,
      fp?.['raw-api']?.readyMs,
      undefined,
      '≤ 2000 ms',
      atMost(fp?.api?.readyMs, 2000),
    ),
    row(
      'footprint',
      'worker start → ready (ms)',
      fp?.worker?.readyMs,
      fp?.['raw-worker']?.readyMs,
      undefined,
      '≤ 2000 ms',
      atMost(fp?.worker?.readyMs, 2000),
    ),
  ];
}

/** What a variant's tracing produced: spans dropped in the host, or bytes posted to the OTLP sink. */
function spansText(figures) {
  if (figures.spansDropped) return `${fmt(figures.spansDropped, 0)} dropped`;
  if (figures.traceExportBytes) return `${fmt(figures.traceExportBytes / 1024, 0)} KiB exported`;
  return '–';
}

function tracingText(settings) {
  if (!settings.tracing) return 'tracing OFF (BENCH_TRACING=off)';
  const everywhere = settings.cases.every((c) => settings.tracedCases.includes(c));
  const where = everywhere ? '' : ` (in ${settings.tracedCases.join(', ') || 'no case'} only)`;
  return settings.traceExport === 'otlp'
    ? `tracing on${where}, exported over OTLP/HTTP to a discard sink on 127.0.0.1`
    : `tracing on${where}, every span recorded and handed to a no-op exporter in the host`;
}

const table = (header, rows) =>
  [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

const metText = (met) => (met === true ? '✅ met' : met === false ? '❌ not met' : '– (no value)');
const digitsFor = (measure) => (/req\/s|jobs\/s|ready/.test(measure) ? 0 : /RSS/.test(measure) ? 1 : 2);

export function markdown(results) {
  const { machine, settings, cases, targets, errors } = results;
  const lines = [];
  const caveat = settings.smoke
    ? ' (SMOKE RUN: harness check only, not a measurement)'
    : settings.profiled
      ? ' (PROFILED RUN: hosts under --cpu-prof, not a measurement)'
      : '';
  lines.push(`# Benchmark results${caveat}`);
  lines.push('');
  lines.push(
    `Measured ${results.date} on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node.js ${machine.node}, ` +
      `${machine.os}. Load average before/after: ${machine.loadAverage.join(' ')} / ${results.loadAverageAfter.join(' ')}. ` +
      `The run took ${fmt(results.durationSeconds / 60, 1)} min (\`make bench\`).`,
  );
  lines.push('');
  lines.push(
    `Each case runs its variants alternately (A B A B …) for ${settings.rounds} round(s); figures are medians across rounds. ` +
      `Load comes from a separate process. Coordinator hosts run as in production: API-key auth, validation, ` +
      `Idempotency-Key per request, info logs (JSON to a file), metrics, ${tracingText(settings)}, ` +
      `RATE_LIMIT_MAX and QUEUE_MAX_WAITING at 10⁹ (on, never reached).` +
      (Object.keys(settings.hostEnv ?? {}).length
        ? ` Extra host environment (BENCH_HOST_ENV): ${JSON.stringify(settings.hostEnv)}.`
        : '') +
      (settings.compareRoot
        ? ` Variant \`compared\`: the same hosts built from ${settings.compareRoot} (BENCH_COMPARE)` +
          (Object.keys(settings.compareEnv ?? {}).length
            ? `, with ${JSON.stringify(settings.compareEnv)} (BENCH_COMPARE_ENV).`
            : '.')
        : ''),
  );
  lines.push('');
  lines.push('## Targets');
  lines.push('');
  lines.push(
    table(
      ['case', 'measure', 'coordinator', 'baseline', 'ratio', 'target', 'result'],
      targets.map((t) => [
        t.case,
        t.measure,
        fmt(t.value, digitsFor(t.measure)),
        fmt(t.baseline, digitsFor(t.measure)),
        fmtRatio(t.ratio),
        t.target,
        metText(t.met),
      ]),
    ),
  );
  lines.push('');
  lines.push(
    'Baseline: raw Fastify + `queue.add` (enqueue), raw BullMQ `Worker` (tasks), raw api + raw worker (e2e), ' +
      'the healthy run (isolation), raw api / raw worker processes (footprint).',
  );
  if (errors.length) {
    lines.push('');
    lines.push('## Cases that failed');
    lines.push('');
    for (const e of errors) lines.push(`- **${e.case}**: ${e.message.split('\n')[0]}`);
  }
  lines.push('');
  lines.push('## Details');
  if (cases.enqueue) {
    const m = cases.enqueue.medians;
    lines.push('', `### 1. Enqueue through HTTP`, '', cases.enqueue.description, '');
    lines.push(
      table(
        [
          'variant',
          'req/s',
          '× raw',
          'p50 ms',
          'p99 ms',
          'p99 × raw',
          'CPU µs / request',
          'CPU × raw',
          'RSS peak MB',
          'Redis commands / request',
          'non-2xx',
          'errors',
          'spans',
        ],
        Object.keys(m).map((v) => [
          v,
          fmt(m[v].rps, 0),
          fmtRatio(m[v].rps / m.raw?.rps),
          fmt(m[v].p50),
          fmt(m[v].p99),
          fmtRatio(m[v].p99 / m.raw?.p99),
          fmt(m[v].cpuUsPerRequest, 0),
          fmtRatio(m[v].cpuUsPerRequest / m.raw?.cpuUsPerRequest),
          fmt(m[v].rssPeakMb, 0),
          fmt(m[v].redisCommandsPerRequest, 1),
          fmt(m[v].non2xx, 0),
          fmt(m[v].errors, 0),
          spansText(m[v]),
        ]),
      ),
    );
    lines.push('', 'Redis commands per request, by command (first round):', '');
    for (const [variant, runs] of Object.entries(cases.enqueue.runs)) {
      const commands = Object.entries(runs[0]?.redisCommands ?? {}).map(([name, n]) => `${name} ${n}`);
      lines.push(`- ${variant}: ${commands.join(', ') || '–'}`);
    }
  }
  if (cases.tasks) {
    const compared = Object.values(cases.tasks.byConcurrency).some((r) => r.medians.compared);
    lines.push('', `### 2. Task throughput`, '', `${cases.tasks.description}; ${cases.tasks.jobs} jobs per run.`, '');
    lines.push(
      table(
        [
          'concurrency',
          'coordinator jobs/s',
          'raw jobs/s',
          'ratio',
          ...(compared ? ['compared jobs/s', 'compared ratio'] : []),
          'CPU µs / job (coordinator, raw)',
          ...(compared ? ['compared CPU µs / job'] : []),
          'coordinator RSS peak MB',
          'raw RSS peak MB',
          'Redis commands / job (coordinator, raw)',
        ],
        Object.entries(cases.tasks.byConcurrency)
          .sort(([a], [b]) => Number(b) - Number(a))
          .map(([c, r]) => [
            c,
            fmt(r.medians.coordinator.jobsPerSecond, 0),
            fmt(r.medians.raw.jobsPerSecond, 0),
            fmtRatio(r.ratios.jobsPerSecond),
            ...(compared ? [fmt(r.medians.compared?.jobsPerSecond, 0), fmtRatio(r.ratios.comparedJobsPerSecond)] : []),
            `${fmt(r.medians.coordinator.cpuUsPerJob, 0)}, ${fmt(r.medians.raw.cpuUsPerJob, 0)}`,
            ...(compared ? [fmt(r.medians.compared?.cpuUsPerJob, 0)] : []),
            fmt(r.medians.coordinator.rssPeakMb, 0),
            fmt(r.medians.raw.rssPeakMb, 0),
            `${fmt(r.medians.coordinator.redisCommandsPerJob, 1)}, ${fmt(r.medians.raw.redisCommandsPerJob, 1)}`,
          ]),
      ),
    );
  }
  if (cases.e2e) {
    lines.push(
      '',
      `### 3. End-to-end latency`,
      '',
      `${cases.e2e.description}; worker concurrency ${cases.e2e.concurrency}.`,
      '',
    );
    lines.push(
      table(
        [
          'rate',
          'variant',
          'answered req/s',
          'HTTP p50 ms',
          'HTTP p99 ms',
          '202→start p50 ms',
          '202→start p99 ms',
          '202→completed p50 ms',
          '202→completed p99 ms',
          'jobs',
          'requests without 202',
        ],
        Object.entries(cases.e2e.byRate).flatMap(([rate, { medians: m }]) =>
          Object.keys(m).map((v) => [
            rate,
            v,
            fmt(m[v].rps, 0),
            fmt(m[v].httpP50),
            fmt(m[v].httpP99),
            fmt(m[v].startP50),
            fmt(m[v].startP99),
            fmt(m[v].doneP50),
            fmt(m[v].doneP99),
            fmt(m[v].jobs, 0),
            fmt(m[v].missed, 0),
          ]),
        ),
      ),
    );
  }
  if (cases.isolation) {
    const m = cases.isolation.medians;
    lines.push('', `### 4. Isolation`, '', cases.isolation.description, '');
    lines.push(
      table(
        [
          'OMS',
          'api req/s',
          'api p50 ms',
          'api p99 ms',
          'p99 vs healthy',
          'orders.submit completed',
          'OMS calls answered / stalled',
        ],
        Object.keys(m).map((v) => [
          v,
          fmt(m[v].rps, 0),
          fmt(m[v].p50),
          fmt(m[v].p99),
          v === 'healthy' ? '–' : fmtRatio(cases.isolation.ratios[v]?.p99),
          fmt(m[v].ordersCompleted, 0),
          `${fmt(m[v].omsAnswered, 0)} / ${fmt(m[v].omsStalled, 0)}`,
        ]),
      ),
    );
  }
  if (cases.footprint) {
    const m = cases.footprint.medians;
    const underLoad = {
      api: cases.enqueue?.medians.coordinator.rssPeakMb,
      'raw-api': cases.enqueue?.medians.raw.rssPeakMb,
      worker: cases.tasks?.byConcurrency?.[50]?.medians.coordinator.rssPeakMb,
      'raw-worker': cases.tasks?.byConcurrency?.[50]?.medians.raw.rssPeakMb,
    };
    lines.push('', `### 5. Footprint`, '', cases.footprint.description, '');
    lines.push(
      table(
        ['process', 'start → ready ms', 'RSS idle MB', 'RSS peak under load MB'],
        Object.keys(m).map((v) => [v, fmt(m[v].readyMs, 0), fmt(m[v].idleRssMb, 1), fmt(underLoad[v], 0)]),
      ),
    );
    lines.push('', 'Under load: the enqueue case (api) and the tasks case at concurrency 50 (worker).');
  }
  lines.push('');
  return lines.join('\n');
}
