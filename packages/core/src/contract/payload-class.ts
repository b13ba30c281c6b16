/**
 * A class-validator DTO class whose instances are a task's or a signal's payload.
 * It must be constructible without arguments: payloads are rebuilt from JSON with
 * class-transformer before they are validated.
 *
 * @example
 * ```ts
 * class SubmitOrderPayload { @IsString() orderId!: string; }
 * const cls: PayloadClass<SubmitOrderPayload> = SubmitOrderPayload;
 * ```
 */
export type PayloadClass<P extends object> = new () => P;

/**
 * The plain data a caller passes for a payload class: its own enumerable fields,
 * without methods. A class instance of `P` is assignable too.
 *
 * @example
 * ```ts
 * const data: PayloadOf<SubmitOrderPayload> = { orderId: 'o-1' };
 * ```
 */
export type PayloadOf<P extends object> = {
  [K in keyof P as P[K] extends (...args: never[]) => unknown ? never : K]: P[K];
};
