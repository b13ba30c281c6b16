import { ValidationPipe, type ArgumentMetadata, type ValidationPipeOptions } from '@nestjs/common';
import { acceptsWithoutErrors, plannedPlainToInstance, plannedTransformer } from '@coordinator/core/runtime';
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
 * - with `transform: true`, an object whose entity the rule plan accepts is answered without
 *   the rest of Nest's pipe (its awaits, its options copied per call, its stand-ins for
 *   primitives, its walks over the value); everything else goes through Nest's pipe.
 *
 * @example
 * ```ts
 * { provide: APP_PIPE, useValue: new PlannedValidationPipe({ whitelist: true, forbidNonWhitelisted: true }) }
 * ```
 */
export class PlannedValidationPipe extends ValidationPipe {
  /** Whether bodies are rebuilt by the transform plans (no `transformerPackage` of the caller's). */
  private readonly planned: boolean;

  constructor(options: ValidationPipeOptions = {}) {
    super({ transformerPackage: plannedTransformer, ...options });
    this.planned = (options.transformerPackage ?? plannedTransformer) === plannedTransformer;
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype;
    if (
      this.planned &&
      this.isTransformEnabled &&
      !this.expectedType &&
      metatype &&
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      !this.isBinary(value) &&
      this.toValidate(metadata)
    ) {
      // What Nest's pipe does besides is done here by the plans: the entity is a copy, made
      // without the value's array gaps and without its own `__proto__` and `constructor` keys
      // (as class-transformer makes it), and the rule plan, like class-validator, accepts no
      // binary value where a nested object belongs.
      const entity: unknown = plannedPlainToInstance(metatype, value, this.transformOptions);
      if (entity instanceof metatype && acceptsWithoutErrors(entity, this.validatorOptions)) {
        return entity;
      }
    }
    // A body the plans did not accept is rebuilt and checked once more there: the price of a
    // 400, the rare answer, for the same messages as before.
    return super.transform(value, metadata);
  }

  protected override validate(
    object: object,
    options?: ValidatorOptions,
  ): Promise<ValidationError[]> | ValidationError[] {
    return acceptsWithoutErrors(object, options) ? [] : super.validate(object, options);
  }
}
