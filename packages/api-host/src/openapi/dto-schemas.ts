import type { Type } from '@nestjs/common';
import type { SchemaObject } from '@nestjs/swagger';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';

const REF_PREFIX = '#/components/schemas/';

/**
 * JSON schemas of DTO classes from their class-validator decorators, so extensions need
 * no `@ApiProperty()` (the swagger CLI plugin does not run under TypeScript 7 or swc).
 * `@IsString() @Length(1, 64)` becomes `{ type: 'string', minLength: 1, maxLength: 64 }`,
 * `@IsOptional()` leaves a property out of `required`, and a `@ValidateNested()` property
 * refers to its class (`@Type(() => OrderLine)` names it for arrays), whose schema is
 * added too. Keyed by class name, as `@nestjs/swagger` names its components.
 *
 * @example
 * ```ts
 * dtoSchemas([CreateOrderBody]); // { CreateOrderBody: {…}, OrderLine: {…} }
 * ```
 */
export function dtoSchemas(roots: Iterable<Type>): Record<string, SchemaObject> {
  const schemas: Record<string, SchemaObject> = {};
  const pending = [...roots];
  const seen = new Set<Type>();
  for (let type = pending.pop(); type; type = pending.pop()) {
    if (seen.has(type)) continue;
    seen.add(type);
    schemas[type.name] = targetConstructorToSchema(type, {
      refPointerPrefix: REF_PREFIX,
      classTransformerMetadataStorage: defaultMetadataStorage,
    }) as SchemaObject;
    pending.push(...nestedTypes(type));
  }
  return schemas;
}

/** The classes a DTO's `@ValidateNested()` properties hold, found as the converter finds them. */
function nestedTypes(type: Type): Type[] {
  const nested: Type[] = [];
  for (const meta of getMetadataStorage().getTargetValidationMetadatas(type, '', true, false)) {
    if (meta.type !== ValidationTypes.NESTED_VALIDATION) continue;
    const typeMeta = defaultMetadataStorage.findTypeMetadata(meta.target as Type, meta.propertyName);
    const child: unknown = typeMeta
      ? typeMeta.typeFunction()
      : Reflect.getMetadata('design:type', (meta.target as Type).prototype, meta.propertyName);
    if (typeof child === 'function' && child !== Object && child !== Array) nested.push(child as Type);
  }
  return nested;
}
