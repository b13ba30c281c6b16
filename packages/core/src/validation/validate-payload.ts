import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { PayloadValidationError } from '../contract/errors.js';
import type { PayloadClass } from '../contract/payload-class.js';
import { cacheValidationMetadataLookups } from './metadata-lookup-cache.js';

// Payloads are validated on every dispatch and every attempt, request bodies on every request:
// class-validator should not look a class's rules up again each time. Installed on its global
// storage, so Nest's ValidationPipe in the api host profits too.
cacheValidationMetadataLookups();

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
  const instance = plainToInstance(cls, data);
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
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
