import { defineSignal } from '@coordinator/core';
import { IsInt, IsISO8601, IsString, Length, Min } from 'class-validator';

/**
 * Payload of `{{name}}-entry.recorded`.
 *
 * @example
 * ```ts
 * await ctx.emit(entryRecorded, { entryId: 'e-1', customerId: 'c-1', amount: 250, recordedAt });
 * ```
 */
export class EntryRecorded {
  @IsString()
  @Length(1, 64)
  entryId!: string;

  @IsString()
  @Length(1, 64)
  customerId!: string;

  @IsInt()
  @Min(0)
  amount!: number;

  @IsISO8601()
  recordedAt!: string;
}

/**
 * Emitted by `{{name}}.record-entry` once an entry is recorded. Signals are named
 * `<subject>.<event>` in the past tense; they are the only way extensions talk.
 */
export const entryRecorded = defineSignal({ name: '{{name}}-entry.recorded', payload: EntryRecorded });
