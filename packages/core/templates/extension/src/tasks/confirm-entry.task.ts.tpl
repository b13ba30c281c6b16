import { defineTask, type TaskContext, type TaskHandler } from '@coordinator/core';
import { Injectable } from '@nestjs/common';
import { EntryRecorded } from '../signals/entry-recorded.signal.js';

/** What `{{name}}.confirm-entry` returns. */
export interface ConfirmEntryResult {
  entryId: string;
  confirmed: true;
}

/**
 * Handles `{{name}}-entry.recorded`. Each handler of a signal is a task of its own, so it
 * retries on its own; a handler in another extension would subscribe the same way, by
 * the signal's name: `onSignal('{{name}}-entry.recorded', itsTask)`.
 */
@Injectable()
export class ConfirmEntryHandler implements TaskHandler<EntryRecorded, ConfirmEntryResult> {
  async run(payload: EntryRecorded, ctx: TaskContext): Promise<ConfirmEntryResult> {
    ctx.logger.log('entry confirmed', { entryId: payload.entryId, recordedAt: payload.recordedAt });
    return { entryId: payload.entryId, confirmed: true };
  }
}

/** Runs once for every `{{name}}-entry.recorded` (see `handlers` in index.ts). */
export const confirmEntry = defineTask({
  name: '{{name}}.confirm-entry',
  payload: EntryRecorded,
  handler: ConfirmEntryHandler,
});
