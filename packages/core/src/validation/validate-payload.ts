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
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new PayloadValidationError(target, ['payload must be an object']);
  }
  const instance = plannedPlainToInstance(cls, data);
  // Payloads are validated on every dispatch and every attempt: the class's rule plan settles
  // a valid one, and class-validator runs only to say what is wrong with the rest.
  if (acceptsWithoutErrors(instance, OPTIONS)) return instance;
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
