/*
 * How an attempt ends at its timeout or at the host's shutdown: through the executor, with
 * handlers that use ctx.signal, ignore it, or never read it, and through the deadline itself.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConsoleLogger, Injectable, Logger } from '@nestjs/common';
import { IsString } from 'class-validator';
import { getEventListeners } from 'node:events';
import { defineExtension } from '../contract/define-extension.js';
import { defineTask } from '../contract/define-task.js';
import { TaskTimeoutError } from '../contract/errors.js';
import type { TaskContext, TaskHandler } from '../contract/task-context.js';
import { AttemptDeadline, withDeadlineSignal } from './attempt-deadline.js';
import { ExtensionRegistry } from './extension-registry.js';
import { InlineTransport } from './inline-transport.js';
import { TaskExecutor, type JobRun } from './task-executor.js';

class Work {
  @IsString()
  label!: string;
}

/** What each handler saw of its signal, by label. */
const seen = new Map<string, { signal: AbortSignal; reason?: unknown }>();

@Injectable()
class Handler implements TaskHandler<Work> {
  async run(payload: Work, ctx: TaskContext): Promise<unknown> {
    switch (payload.label) {
      case 'listens': {
        // Waits for its signal, as a handler passing it to fetch would.
        const signal = ctx.signal;
        seen.set(payload.label, { signal });
        return new Promise((_, reject) =>
          signal.addEventListener('abort', () => {
            seen.set(payload.label, { signal, reason: signal.reason });
            reject(new Error('aborted by its signal'));
          }),
        );
      }
      case 'ignores':
        return new Promise(() => undefined);
      case 'reads-late':
        await new Promise((resolve) => setTimeout(resolve, 120));
        seen.set(payload.label, { signal: ctx.signal });
        return 'done late';
      default:
        return `done ${payload.label}`;
    }
  }
}

const work = defineTask({ name: 'clock.work', payload: Work, handler: Handler, timeoutMs: 60 });
const registry = new ExtensionRegistry([defineExtension({ name: 'clock', version: '1.0.0', tasks: [work] })]);
const executor = new TaskExecutor(registry, () => new Handler() as never, new InlineTransport(registry));

function run(label: string, shutdownSignal?: AbortSignal): JobRun {
  return {
    taskId: `clock.work.${label}`,
    name: 'clock.work',
    attempt: 1,
    maxAttempts: 1,
    shutdownSignal,
    data: {
      payload: { label },
      meta: {
        task: 'clock.work',
        extension: 'clock',
        extensionVersion: '1.0.0',
        schemaVersion: 1,
        enqueuedAt: new Date().toISOString(),
        trace: {},
      },
    },
  };
}

describe('an attempt’s deadline, through the executor', () => {
  // The executor logs every attempt; these tests read outcomes, not logs.
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  it('aborts ctx.signal at the timeout with a TaskTimeoutError, and the attempt fails with it', async () => {
    const error = await executor.execute(run('listens')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect((error as Error).message).toBe('clock.work timed out after 60 ms');
    const { signal, reason } = seen.get('listens')!;
    expect(signal.aborted).toBe(true);
    expect(reason).toBe(error);
  });

  it('ends an attempt whose handler ignores its signal', async () => {
    await expect(executor.execute(run('ignores'))).rejects.toThrow('clock.work timed out after 60 ms');
  });

  it('hands out an already aborted signal when it is first read after the timeout', async () => {
    await expect(executor.execute(run('reads-late'))).rejects.toThrow(TaskTimeoutError);
    // The handler went on after the attempt ended, as handlers ignoring their signal do.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { signal } = seen.get('reads-late')!;
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(TaskTimeoutError);
  });

  it('aborts running attempts when the host shuts down, with the shutdown’s reason', async () => {
    const shutdown = new AbortController();
    const attempt = executor.execute(run('ignores', shutdown.signal)).catch((e: unknown) => e);
    const listening = executor.execute(run('listens', shutdown.signal)).catch((e: unknown) => e);
    const reason = new Error('worker shutting down: grace period over');
    setTimeout(() => shutdown.abort(reason), 10);
    expect(await attempt).toBe(reason);
    // The listening handler's own rejection loses the race to the deadline's.
    expect(await listening).toBe(reason);
    expect(seen.get('listens')!.reason).toBe(reason);
  });

  it('ends at once an attempt that starts after the shutdown, its signal already aborted', async () => {
    const shutdown = new AbortController();
    shutdown.abort(new Error('already shut down'));
    await expect(executor.execute(run('ignores', shutdown.signal))).rejects.toThrow('already shut down');
    const listening = await executor.execute(run('listens', shutdown.signal)).catch((e: unknown) => e);
    expect((listening as Error).message).toBe('already shut down');
    expect(seen.get('listens')!.signal.aborted).toBe(true);
  });

  it('leaves one listener on the shutdown signal however many attempts ran, and none of theirs', async () => {
    const shutdown = new AbortController();
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => executor.execute(run(`quick-${i}`, shutdown.signal))),
    );
    expect(outcomes.map((o) => o.result)).toEqual(Array.from({ length: 50 }, (_, i) => `done quick-${i}`));
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(1);
    // Finished attempts are no longer watched: aborting now ends nothing and throws nothing.
    shutdown.abort(new Error('late'));
  });
});

describe('AttemptDeadline', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('leaves no unhandled rejection when it ends before or after its race settled', async () => {
    const shutdown = new AbortController();
    shutdown.abort(new Error('already shut down'));
    const early = new AttemptDeadline(1_000, () => new Error('never'), shutdown.signal);
    await expect(Promise.race([new Promise(() => undefined), early.ended])).rejects.toThrow('already shut down');
    early.dispose();

    const late = new AttemptDeadline(1_000, () => new Error('never'));
    await expect(Promise.race([Promise.resolve('done'), late.ended])).resolves.toBe('done');
    late.end(new Error('after the attempt'));
    late.dispose();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
  });

  it('ends at shutdown the attempts still running, whichever finished before', async () => {
    const shutdown = new AbortController();
    const make = () => new AttemptDeadline(1_000, () => new Error('timed out'), shutdown.signal);
    const [first, second, third, fourth] = [make(), make(), make(), make()];
    // The list runs newest first: fourth, third, second, first.
    second!.dispose(); // finished: in the middle of the list
    first!.dispose(); // the oldest, whose neighbour was the one just taken out
    const outcomes = [first, second, third, fourth].map((deadline) =>
      Promise.race([
        deadline!.ended.catch((e: unknown) => (e as Error).message),
        new Promise((resolve) => setTimeout(() => resolve('still running'), 30)),
      ]),
    );
    shutdown.abort(new Error('shutting down'));
    expect(await Promise.all(outcomes)).toEqual(['still running', 'still running', 'shutting down', 'shutting down']);
    for (const deadline of [third, fourth]) deadline!.dispose(); // after the shutdown: nothing left to unlink
    const afterwards = make();
    await expect(afterwards.ended).rejects.toThrow('shutting down');
    afterwards.dispose();
  });

  it('ends once: a shutdown after the timeout keeps the timeout as the reason', async () => {
    const shutdown = new AbortController();
    const timeout = new Error('timed out');
    const deadline = new AttemptDeadline(5, () => timeout, shutdown.signal);
    await expect(deadline.ended).rejects.toBe(timeout);
    shutdown.abort(new Error('shutdown'));
    expect(deadline.signal.reason).toBe(timeout);
    deadline.dispose();
  });

  it('does not fire after dispose, and its signal stays unaborted', async () => {
    const deadline = new AttemptDeadline(5, () => new Error('too late'));
    const signal = deadline.signal;
    deadline.dispose();
    const outcome = await Promise.race([
      deadline.ended.then(
        () => 'resolved',
        () => 'rejected',
      ),
      new Promise((resolve) => setTimeout(() => resolve('pending'), 30)),
    ]);
    expect(outcome).toBe('pending');
    expect(signal.aborted).toBe(false);
  });

  it('gives a context a signal that a spread copy keeps, without the deadline', () => {
    const deadline = new AttemptDeadline(1_000, () => new Error('never'));
    const ctx = withDeadlineSignal({ taskId: 't-1' } as Omit<TaskContext, 'signal'>, deadline);
    const copy = { ...ctx };
    expect(copy.signal).toBe(deadline.signal);
    expect(Object.getOwnPropertySymbols(copy)).toEqual([]);
    expect(Object.keys(ctx)).toEqual(['taskId', 'signal']);
    deadline.end(new Error('over'));
    expect(ctx.signal.aborted).toBe(true);
    deadline.dispose();
  });

  it('gives the same signal each time it is read', () => {
    const deadline = new AttemptDeadline(1_000, () => new Error('never'));
    expect(deadline.signal).toBe(deadline.signal);
    deadline.dispose();
  });
});
