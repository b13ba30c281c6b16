import type { TaskContext } from '../contract/task-context.js';

/**
 * Ends one attempt of a task at its timeout or at the host's shutdown, whichever comes
 * first: `ended` rejects with the reason, and `signal` aborts with it.
 *
 * Most handlers never read `ctx.signal`, and an AbortController with its signal was the
 * costliest allocation of a job on the worker (a few percent of its CPU on a no-op task),
 * so the signal is made only when asked for; one asked for after the end comes already
 * aborted. Attempts watch the shutdown signal through one listener per signal rather than
 * one each, which adding and removing per job would cost again (and Node warns past ten).
 *
 * @example
 * ```ts
 * const deadline = new AttemptDeadline(5_000, () => new TaskTimeoutError('…'), shutdownSignal);
 * try {
 *   return await Promise.race([handler.run(payload, { signal: deadline.signal }), deadline.ended]);
 * } finally {
 *   deadline.dispose();
 * }
 * ```
 */
export class AttemptDeadline {
  /** Rejects with the reason once the attempt's time is up; never resolves. */
  readonly ended: Promise<never>;
  private controller: AbortController | undefined;
  private reason: unknown;
  private isOver = false;
  private rejectEnded!: (reason: unknown) => void;
  private readonly timer: NodeJS.Timeout;
  /** Links in the list of attempts running under the shutdown signal (see {@link runningUnder}). */
  prev: Running | undefined;
  next: AttemptDeadline | undefined;

  constructor(
    timeoutMs: number,
    timeoutError: () => Error,
    private readonly shutdown?: AbortSignal,
  ) {
    this.ended = new Promise<never>((_, reject) => {
      this.rejectEnded = reject;
    });
    this.timer = setTimeout(() => this.end(timeoutError()), timeoutMs);
    if (shutdown?.aborted) this.end(shutdown.reason);
    else if (shutdown) {
      const list = runningUnder(shutdown);
      this.prev = list;
      this.next = list.next;
      if (list.next) list.next.prev = this;
      list.next = this;
    }
  }

  /** Aborts when the attempt is over: what handlers pass to `fetch` and downstream calls. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.isOver) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Ends the attempt now with `reason`; only the first end counts. */
  end(reason: unknown): void {
    if (this.isOver) return;
    this.isOver = true;
    this.reason = reason;
    this.controller?.abort(reason);
    // Handled here, where it ends, in case nothing races it any more (the attempt settled):
    // attached in the constructor instead, the handler measured 6 µs more per job.
    this.ended.catch(ignore);
    this.rejectEnded(reason);
  }

  /** Stops the timer and the shutdown watch once the attempt has settled. */
  dispose(): void {
    clearTimeout(this.timer);
    if (this.prev) {
      this.prev.next = this.next;
      if (this.next) this.next.prev = this.prev;
      this.prev = this.next = undefined;
    }
  }
}

const DEADLINE = Symbol('deadline');

function ignore(): void {}

/** The getter of every context's `signal`: one function, so that contexts keep fast properties. */
function deadlineSignal(this: { [DEADLINE]: AttemptDeadline }): AbortSignal {
  return this[DEADLINE].signal;
}

/**
 * Gives a task's context its `signal`, made by the deadline on first read. The getter is one
 * function shared by every context, defined on it: V8 builds an object literal that has a getter
 * with dictionary (slow) properties, and such a context per job cost more than the
 * AbortController the laziness saves. The property is enumerable, so a spread copy of the
 * context has the signal; the deadline is not.
 *
 * @example
 * ```ts
 * const ctx = withDeadlineSignal({ taskId, logger }, deadline);
 * ctx.signal; // made now
 * ```
 */
export function withDeadlineSignal(context: Omit<TaskContext, 'signal'>, deadline: AttemptDeadline): TaskContext {
  Object.defineProperty(context, DEADLINE, { value: deadline });
  Object.defineProperty(context, 'signal', { get: deadlineSignal, enumerable: true });
  return context as TaskContext;
}

/** The head of a list of running attempts: the list's first attempt. */
interface Running {
  next: AttemptDeadline | undefined;
}

/**
 * The attempts running under each shutdown signal, ended together by its one listener. A list
 * linked through the attempts themselves: kept in a Set instead, an attempt that had made its
 * signal cost 9 µs more (the Set, long-lived, holding each attempt while it runs).
 */
const running = new WeakMap<AbortSignal, Running>();

function runningUnder(shutdown: AbortSignal): Running {
  let list = running.get(shutdown);
  if (list === undefined) {
    const head: Running = { next: undefined };
    shutdown.addEventListener(
      'abort',
      () => {
        let deadline = head.next;
        head.next = undefined;
        while (deadline) {
          const next = deadline.next;
          deadline.prev = deadline.next = undefined;
          deadline.end(shutdown.reason);
          deadline = next;
        }
      },
      { once: true },
    );
    running.set(shutdown, head);
    list = head;
  }
  return list;
}
