import { ValidationPipe } from '@nestjs/common';
import { acceptsWithoutErrors } from '@coordinator/core/runtime';
import type { ValidationError, ValidatorOptions } from 'class-validator';

/**
 * Nest's ValidationPipe, where the body class's rule plan settles a valid body before
 * class-validator's own pass: that pass builds an error object per property and a promise
 * per constraint even when nothing is wrong, and it runs on every request. An invalid body
 * still goes through class-validator, so the 400 lists the same messages as before.
 *
 * @example
 * ```ts
 * { provide: APP_PIPE, useValue: new PlannedValidationPipe({ whitelist: true, forbidNonWhitelisted: true }) }
 * ```
 */
export class PlannedValidationPipe extends ValidationPipe {
  protected override validate(
    object: object,
    options?: ValidatorOptions,
  ): Promise<ValidationError[]> | ValidationError[] {
    return acceptsWithoutErrors(object, options) ? [] : super.validate(object, options);
  }
}
