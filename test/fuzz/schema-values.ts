/*
 * Valid values for the JSON schemas the API host publishes for its request bodies (the
 * subset class-validator DTOs turn into: objects, arrays, strings with length and
 * pattern, bounded integers, enums), and the places inside a value a mutation can hit.
 */
import fc from 'fast-check';
import type { JsonPath } from './json-text.js';

/** The part of JSON Schema (OpenAPI 3 flavour) the published DTO schemas use. */
export interface JsonSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
}

/** Finds `#/components/schemas/<name>` in the OpenAPI document. */
export type SchemaResolver = (schema: JsonSchema) => JsonSchema;

export function schemaResolver(components: Record<string, JsonSchema>): SchemaResolver {
  const resolve = (schema: JsonSchema): JsonSchema => {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace(/^#\/components\/schemas\//, '');
    const target = components[name];
    if (!target) throw new Error(`the OpenAPI document refers to ${schema.$ref}, which it does not define`);
    return resolve(target);
  };
  return resolve;
}

/** Longest string or array a "valid" value gets, so valid bodies stay small. */
const MAX_VALID_SIZE = 5;

/** Values the schema accepts. */
export function validValue(schema: JsonSchema, resolve: SchemaResolver): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.enum) return fc.constantFrom(...s.enum);
  const choices = s.oneOf ?? s.anyOf;
  if (choices) return fc.oneof(...choices.map((choice) => validValue(choice, resolve)));
  switch (s.type) {
    case 'object': {
      const properties = s.properties ?? {};
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, property] of Object.entries(properties)) model[name] = validValue(property, resolve);
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((name) => name in properties) });
    }
    case 'array': {
      const minLength = s.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(s.maxItems ?? MAX_VALID_SIZE, minLength + MAX_VALID_SIZE));
      return fc.array(validValue(s.items ?? {}, resolve), { minLength, maxLength });
    }
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1_000_000, max: s.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'string':
      return validString(s);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function validString(s: JsonSchema): fc.Arbitrary<string> {
  const minLength = s.minLength ?? 0;
  const maxLength = s.maxLength ?? Math.max(minLength, 32);
  if (s.format === 'uuid') return fc.uuid({ version: 4 });
  if (s.pattern) {
    const pattern = new RegExp(s.pattern);
    return fc
      .stringMatching(pattern, { size: 'xsmall' })
      .filter((value) => value.length >= minLength && value.length <= maxLength);
  }
  return fc.string({ minLength, maxLength: Math.min(maxLength, minLength + 24) });
}

/** One place inside a valid value, with what the schema says about it. */
export interface Slot {
  path: JsonPath;
  schema: JsonSchema;
  /** Removing it makes the value invalid (a required property). */
  required: boolean;
  /** Its parent is an object (so a sibling property can be added there). */
  inObject: boolean;
}

/** Every place in `value`, the root included, as the schema describes it. */
export function slotsOf(value: unknown, schema: JsonSchema, resolve: SchemaResolver): Slot[] {
  const slots: Slot[] = [];
  const walk = (current: unknown, s: JsonSchema, path: JsonPath, required: boolean, inObject: boolean) => {
    const resolved = resolve(s);
    slots.push({ path, schema: resolved, required, inObject });
    if (resolved.type === 'object' && typeof current === 'object' && current !== null && !Array.isArray(current)) {
      for (const [name, property] of Object.entries(resolved.properties ?? {})) {
        if (!Object.hasOwn(current, name)) continue;
        const child = (current as Record<string, unknown>)[name];
        walk(child, property, [...path, name], resolved.required?.includes(name) ?? false, true);
      }
    } else if (resolved.type === 'array' && Array.isArray(current)) {
      current.forEach((item, index) => walk(item, resolved.items ?? {}, [...path, index], false, false));
    }
  };
  walk(value, schema, [], true, false);
  return slots;
}

/** The JSON type a value has, as a mutation needs to tell "another type" from "the same". */
export function jsonTypeOf(value: unknown): 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'object' | 'string' | 'number' | 'boolean';
}
