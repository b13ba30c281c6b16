import { validate, type ValidationError, type ValidatorOptions } from 'class-validator';
import { PayloadValidationError } from '../contract/errors.js';
import type { PayloadClass } from '../contract/payload-class.js';
import { acceptsWithoutErrors } from './rule-plans.js';
import { plannedPlainToInstance } from './transform-plans.js';

const OPTIONS: ValidatorOptions = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

/**
 * Rebuilds `data` as an instance of its DTO class and validates it with the same rules
 * the API's ValidationPipe uses (unknown properties are rejected). Used at dispatch
 * and again in the worker, so a job written by anyone still meets its contract.
 *
 * @example
 * ```ts
 * const payload = await validatePayload(SubmitOrderPayload, job.data.payload, 'payload of orders.submit');
 * ```
 */
export async function validatePayload<P extends object>(
  cls: PayloadClass<P>,
  data: unknown,
  target: string,
): Promise<P> {
  return validatePayloadNow(cls, data, target);
}

/**
 * {@link validatePayload} for the dispatcher and the executor, which run it on every dispatch
 * and every attempt: a payload the class's rule plan accepts is answered at once, without a
 * promise (each one costs every AsyncLocalStorage's hooks); the rest get the promise of
 * class-validator's verdict, which says what is wrong. Throws {@link PayloadValidationError} at
 * once for a payload that is not an object.
 *
 * @example
 * ```ts
 * const checked = validatePayloadNow(SubmitOrderPayload, payload, 'payload of orders.submit');
 * const valid = checked instanceof Promise ? await checked : checked;
 * ```
 */
export function validatePayloadNow<P extends object>(
  cls: PayloadClass<P>,
  data: unknown,
  target: string,
): P | Promise<P> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new PayloadValidationError(target, ['payload must be an object']);
  }
  const instance = plannedPlainToInstance(cls, data);
  if (acceptsWithoutErrors(instance, OPTIONS)) return instance;
  return withValidatorVerdict(instance, target);
}

async function withValidatorVerdict<P extends object>(instance: P, target: string): Promise<P> {
  const errors = await validate(instance, OPTIONS);
  if (errors.length > 0) throw new PayloadValidationError(target, flattenErrors(errors));
  return instance;
}

/**
 * `items.0.quantity must be a positive number`, one line per failed constraint.
 *
 * @example
 * ```ts
 * flattenErrors(await validate(dto)); // ['currency must be one of: EUR, USD']
 * ```
 */
export function flattenErrors(errors: readonly ValidationError[], parent = ''): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      // class-validator starts messages with the bare property name; show the full path.
      lines.push(
        message.startsWith(error.property) ? path + message.slice(error.property.length) : `${path}: ${message}`,
      );
    }
    if (error.children?.length) lines.push(...flattenErrors(error.children, path));
  }
  return lines;
}
