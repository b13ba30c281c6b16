import { defineTask, type TaskContext, type TaskHandler } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { entryRecorded } from '../signals/entry-recorded.signal.js';
import { RecordEntryPayload } from './record-entry.payload.js';

/** What `loyalty.record-entry` returns; `GET /tasks/:id` shows it as `result`. */
export interface RecordEntryResult {
  entryId: string;
  recordedAt: string;
}

/**
 * Records an entry, then announces it. Created by the worker host's dependency
 * injection: inject your downstream clients in the constructor.
 */
@Injectable()
export class RecordEntryHandler implements TaskHandler<RecordEntryPayload, RecordEntryResult> {
  async run(payload: RecordEntryPayload, ctx: TaskContext): Promise<RecordEntryResult> {
    // Call your downstream service here. Pass `ctx.idempotencyKey` on, so a retried attempt
    // never has a second effect, and `ctx.signal`, so the call stops at the task's timeout.
    // Throw RetryableError to retry with backoff, PermanentError to fail at once.
    const recordedAt = new Date().toISOString();
    ctx.logger.log('entry recorded', { entryId: payload.entryId, customerId: payload.customerId });
    // One job per subscribed handler, stored before this resolves; a retry does not emit twice.
    await ctx.emit(entryRecorded, { ...payload, recordedAt });
    return { entryId: payload.entryId, recordedAt };
  }
}

/** Dispatched by `POST /loyalty/entries`. */
export const recordEntry = defineTask({
  name: 'loyalty.record-entry',
  payload: RecordEntryPayload,
  handler: RecordEntryHandler,
  retry: { attempts: 5, backoff: 'exponential', delayMs: 1000, jitter: true },
  timeoutMs: 30_000,
});
