// Case 2, task throughput: the worker-host running the bench extension's no-op task against a raw
// BullMQ Worker with the same concurrency, on the same pre-filled jobs. The queue is filled while
// paused, the worker started and ready, then the queue resumed; jobs/s counts from the first
// completion to the last (BullMQ's finishedOn), so start-up and polling never enter the figure.
import { fmt } from '../lib/format.mjs';
import { BENCH_EXTENSION, startCoordinatorWorker, startRawWorker } from '../lib/hosts.mjs';
import { cpuSeconds, sampleRss } from '../lib/processes.mjs';
import { completionSpan, prefillPaused, waitForFinished } from '../lib/queue-state.mjs';
import { alternate, ratio } from '../lib/rounds.mjs';
import { redisWorkPerRequest } from './enqueue.mjs';

const SETTLE_MS = 500;

async function measure(ctx, variant, concurrency, jobs) {
  await ctx.resetRedis();
  const prefillStarted = Date.now();
  const queue = await prefillPaused(ctx.redisUrl, jobs);
  const prefillMs = Date.now() - prefillStarted;
  let host;
  try {
    const profile = concurrency === ctx.profileConcurrency && variant !== 'compared';
    host =
      variant === 'raw'
        ? await startRawWorker(ctx, { concurrency, profile })
        : await startCoordinatorWorker(ctx, {
            extensions: BENCH_EXTENSION,
            concurrency,
            profile,
            compared: variant === 'compared',
          });
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const rss = sampleRss(host.proc.pid);
    const cpuBefore = cpuSeconds(host.proc.pid);
    let memory;
    let cpu;
    try {
      await ctx.admin.config('RESETSTAT');
      await queue.resume();
      // Far more than the slowest plausible rate (200 jobs/s) needs.
      const counts = await waitForFinished(ctx.admin, 'bench', jobs, {
        timeoutMs: 30_000 + jobs * 5,
        onFailed: (c) => {
          throw new Error(`${variant}: ${c.failed} bench.noop jobs failed; see ${host.proc.logFile}`);
        },
      });
      if (counts.completed !== jobs) throw new Error(`${variant}: ${counts.completed} of ${jobs} jobs completed`);
    } finally {
      memory = rss.stop();
      cpu = cpuSeconds(host.proc.pid) - cpuBefore;
    }
    const { first, last } = await completionSpan(ctx.admin, 'bench');
    const seconds = (last - first) / 1000;
    // zcard is the harness polling; resume's commands are its own too, and few.
    const work = await redisWorkPerRequest(ctx, jobs, { harnessCommands: ['zcard'] });
    const figures = {
      redisCommandsPerJob: work.redisCommandsPerRequest,
      redisCommands: work.redisCommands,
      jobsPerSecond: seconds > 0 ? (jobs - 1) / seconds : undefined,
      seconds,
      // From resuming the queue to the last completion (and the harness noticing it).
      cpuUsPerJob: Number.isFinite(cpu) ? (cpu * 1e6) / jobs : undefined,
      rssPeakMb: memory.peakMb,
      readyMs: host.readyMs,
    };
    ctx.say(
      `  ${variant} ×${concurrency}: ${fmt(figures.jobsPerSecond, 0)} jobs/s (${jobs} jobs in ${fmt(seconds)} s; ` +
        `pre-filled in ${fmt(prefillMs / 1000, 1)} s), ${fmt(figures.cpuUsPerJob, 0)} µs CPU per job, ` +
        `RSS peak ${fmt(figures.rssPeakMb, 0)} MB, ` +
        `${fmt(figures.redisCommandsPerJob, 1)} Redis commands per job ${JSON.stringify(figures.redisCommands)}`,
    );
    return figures;
  } finally {
    await host?.proc.stop();
    await queue.close();
  }
}

export async function tasksCase(ctx) {
  const { rounds, tasks } = ctx.config;
  ctx.say(
    `tasks: ${tasks.jobs} pre-filled bench.noop jobs, concurrency ${tasks.concurrencies.join(' and ')}, ${rounds} round(s)`,
  );
  const byConcurrency = {};
  for (const concurrency of tasks.concurrencies) {
    const { runs, medians } = await alternate({
      rounds,
      variants: ctx.config.compareRoot ? ['coordinator', 'compared', 'raw'] : ['coordinator', 'raw'],
      fields: ['jobsPerSecond', 'cpuUsPerJob', 'rssPeakMb', 'readyMs', 'redisCommandsPerJob'],
      measure: (variant, round) => {
        ctx.say(`tasks ×${concurrency} round ${round}/${rounds}: ${variant}`);
        return measure(ctx, variant, concurrency, tasks.jobs);
      },
    });
    byConcurrency[concurrency] = {
      runs,
      medians,
      ratios: {
        jobsPerSecond: ratio(medians.coordinator.jobsPerSecond, medians.raw.jobsPerSecond),
        ...(medians.compared
          ? { comparedJobsPerSecond: ratio(medians.compared.jobsPerSecond, medians.raw.jobsPerSecond) }
          : {}),
      },
    };
  }
  return {
    description:
      'jobs/s of a no-op task, first to last completion: worker-host (bench extension; tracing, info logs, metrics) ' +
      'vs a raw BullMQ Worker with a no-op processor',
    jobs: tasks.jobs,
    byConcurrency,
  };
}
