import { PayloadValidationError, validatePayload, type PayloadClass, type TaskDefinition } from '@coordinator/core';
import { getMetadataStorage, ValidationTypes } from 'class-validator';

/** class-validator does not export the type from its entry point. */
type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/**
 * The class-validator rules declared on a payload class, inherited ones included, as
 * the validation at dispatch and in the worker sees them.
 */
function validationMetadataOf(cls: PayloadClass<object>): ValidationMetadata[] {
  return getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
}

/**
 * Problems with a task's payload class as a DTO: it must be a class with class-validator
 * decorators, or nothing at dispatch or in the worker would check what arrives.
 *
 * @example
 * ```ts
 * expect(checkPayloadMetadata(submitOrder)).toEqual([]);
 * ```
 */
export function checkPayloadMetadata(task: TaskDefinition): string[] {
  const cls = task.payload;
  // Typed as a class, but an extension built without defineTask() may carry anything.
  if (typeof cls !== 'function') return [`task "${task.name}": its payload is not a class`];
  if (validationMetadataOf(cls).length === 0) {
    return [
      `task "${task.name}": payload ${cls.name || '(anonymous class)'} has no class-validator decorators, so nothing validates it`,
    ];
  }
  return [];
}

/**
 * The properties of a payload class that `{}` cannot satisfy: those with a rule that is
 * neither `@IsOptional()`/`@ValidateIf()` nor a bare `@Allow()`. Synchronous, so a
 * test can be named after it before anything runs.
 *
 * @example
 * ```ts
 * requiredFieldsOf(CancelOrderPayload); // ['orderId']
 * ```
 */
export function requiredFieldsOf(cls: PayloadClass<object>): string[] {
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const metadata of validationMetadataOf(cls)) {
    byProperty.set(metadata.propertyName, [...(byProperty.get(metadata.propertyName) ?? []), metadata]);
  }
  const required: string[] = [];
  for (const [property, rules] of byProperty) {
    const types = new Set(rules.map((rule) => rule.type));
    // @IsDefined() holds even next to @IsOptional().
    if (types.has(ValidationTypes.IS_DEFINED)) required.push(property);
    else if (types.has(ValidationTypes.CONDITIONAL_VALIDATION)) continue;
    else if ([...types].some((type) => type !== ValidationTypes.WHITELIST)) required.push(property);
  }
  return required;
}

/**
 * Problems with a task's sample: it must pass the same validation as a dispatch.
 *
 * @example
 * ```ts
 * expect(await checkSampleValidates(cancelOrder, { orderId: randomUUID() })).toEqual([]);
 * ```
 */
export async function checkSampleValidates(task: TaskDefinition, sample: unknown): Promise<string[]> {
  if (sample === undefined) return [`task "${task.name}" has no sample`];
  try {
    await validatePayload(task.payload, sample, `sample of ${task.name}`);
    return [];
  } catch (error) {
    if (error instanceof PayloadValidationError) return [error.message];
    return [`task "${task.name}": validating its sample threw ${describeError(error)}`];
  }
}

/**
 * Problems when a payload class with required fields accepts an empty object, which
 * means its decorators do not say what the handler relies on. A class without required
 * fields (see {@link requiredFieldsOf}) has none.
 *
 * @example
 * ```ts
 * expect(await checkRejectsEmpty(submitOrder)).toEqual([]);
 * ```
 */
export async function checkRejectsEmpty(task: TaskDefinition): Promise<string[]> {
  const required = requiredFieldsOf(task.payload);
  if (required.length === 0) return [];
  try {
    await validatePayload(task.payload, {}, `empty payload of ${task.name}`);
  } catch (error) {
    if (error instanceof PayloadValidationError) return [];
    return [`task "${task.name}": validating {} threw ${describeError(error)}`];
  }
  return [
    `task "${task.name}": payload ${task.payload.name} accepts {} although ${required.join(', ')} ${required.length === 1 ? 'is' : 'are'} required`,
  ];
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
