import { ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { acceptsWithoutErrors, plannedTransformer } from '@coordinator/core/runtime';
import type { ValidationError, ValidatorOptions } from 'class-validator';

/**
 * Nest's ValidationPipe, with the body class's plans doing on every request what
 * class-transformer and class-validator would otherwise work out again each time:
 * - the body is rebuilt as its class by the class's transform plan (`plannedTransformer`,
 *   the same instance class-transformer builds), unless `transformerPackage` says otherwise;
 * - a valid body is settled by the class's rule plan before class-validator's own pass, which
 *   builds an error object per property and a promise per constraint even when nothing is
 *   wrong. An invalid body still goes through class-validator, so the 400 lists the same
 *   messages as before.
 *
 * @example
 * ```ts
 * { provide: APP_PIPE, useValue: new PlannedValidationPipe({ whitelist: true, forbidNonWhitelisted: true }) }
 * ```
 */
export class PlannedValidationPipe extends ValidationPipe {
  constructor(options: ValidationPipeOptions = {}) {
    super({ transformerPackage: plannedTransformer, ...options });
  }

  protected override validate(
    object: object,
    options?: ValidatorOptions,
  ): Promise<ValidationError[]> | ValidationError[] {
    return acceptsWithoutErrors(object, options) ? [] : super.validate(object, options);
  }
}
