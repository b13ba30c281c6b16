import { IsInt, IsString, Length, Min } from 'class-validator';

/**
 * Payload of `{{name}}.record-entry`, and the body of `POST /{{name}}/entries`. It is
 * validated when dispatched and again in the worker: unknown fields are refused.
 *
 * @example
 * ```ts
 * await dispatcher.dispatch(recordEntry, { entryId: 'e-1', customerId: 'c-1', amount: 250 });
 * ```
 */
export class RecordEntryPayload {
  /** Your reference for the entry; the same entry is recorded once. */
  @IsString()
  @Length(1, 64)
  entryId!: string;

  @IsString()
  @Length(1, 64)
  customerId!: string;

  @IsInt()
  @Min(0)
  amount!: number;
}
