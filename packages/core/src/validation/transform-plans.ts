import { instanceToPlain, plainToInstance, type ClassConstructor, type ClassTransformOptions } from 'class-transformer';
import { createRequire } from 'node:module';

/** A class, as class-transformer's storage keys its metadata. */
type Class = abstract new (...args: never[]) => unknown;

type TypeMetadata = {
  typeFunction?: (options: { newObject: object; object: object; property: string }) => unknown;
  reflectedType: unknown;
  options?: { discriminator?: { property?: string; subTypes?: unknown[] } };
};

/** The parts of class-transformer's metadata storage read here (its fields are TypeScript-private). */
interface Storage {
  _typeMetadatas: Map<Class, Map<string, TypeMetadata>>;
  _transformMetadatas: Map<Class, unknown>;
  _exposeMetadatas: Map<Class, unknown>;
  _excludeMetadatas: Map<Class, unknown>;
  getAncestors(target: Class): Class[];
  addTypeMetadata(metadata: unknown): void;
  addTransformMetadata(metadata: unknown): void;
  addExposeMetadata(metadata: unknown): void;
  addExcludeMetadata(metadata: unknown): void;
  clear(): void;
}

/** What the plan knows of a class: the `@Type` of each property, ancestors' included. */
interface ClassPlan {
  readonly types: ReadonlyMap<string, TypeMetadata>;
}

/** Thrown inside a plan for a value only class-transformer itself handles; caught at the top. */
const UNPLANNED = Symbol('unplanned');

// class-transformer keeps its decorators' metadata here and does not export it from its entry
// point; Nest's mapped types read it the same way. Resolved from here, it is the storage of
// the class-transformer this module's plainToInstance is.
const storage = (createRequire(import.meta.url)('class-transformer/cjs/storage') as { defaultMetadataStorage: unknown })
  .defaultMetadataStorage as Storage;
let plans = new WeakMap<Class, ClassPlan | typeof UNPLANNED>();
watchForNewMetadata();

/** {@link plannedPlainToInstance} of an array: an array of instances, as class-transformer builds it. */
export function plannedPlainToInstance<T>(
  cls: ClassConstructor<T>,
  plain: unknown[],
  options?: ClassTransformOptions,
): T[];
/**
 * class-transformer's `plainToInstance(cls, plain, options)`, with the same result, at a
 * fraction of its cost for the classes DTOs are made of.
 *
 * For every object it builds, class-transformer looks each property up in its metadata
 * several times over (exposed names, excluded names, groups, versions, custom transforms,
 * types), each lookup walking the class's ancestors and allocating arrays, though a DTO
 * carries nothing but `@Type`. Here each class is looked at once: a class with only `@Type`
 * metadata (no `@Expose`, `@Exclude`, `@Transform`, discriminators or `Map` properties) gets a
 * plan holding its types, and values are rebuilt along the same steps as class-transformer
 * takes: the same constructors, type functions, property order, prototype checks and
 * conversions. Anything else, including any option, a `Set`, a `Map`, a promise or a class
 * with other metadata anywhere in the value, is left to class-transformer for the whole call.
 * (Work done before such a value is met is then done again: constructors and type functions
 * are expected to have no side effects, as they already run once per request.)
 *
 * Decorators applied after a class was first transformed (at run time) empty the plans.
 *
 * @example
 * ```ts
 * const body = plannedPlainToInstance(CreateOrderBody, request.body); // a CreateOrderBody
 * ```
 */
export function plannedPlainToInstance<T>(cls: ClassConstructor<T>, plain: unknown, options?: ClassTransformOptions): T;
export function plannedPlainToInstance<T>(
  cls: ClassConstructor<T>,
  plain: unknown,
  options?: ClassTransformOptions,
): T | T[] {
  if (options === undefined) {
    try {
      return rebuild(plain, cls, undefined) as T | T[];
    } catch (error) {
      if (error !== UNPLANNED) throw error;
    }
  }
  return plainToInstance(cls, plain, options);
}

/**
 * class-transformer as Nest's ValidationPipe takes it (`transformerPackage`), transforming
 * through {@link plannedPlainToInstance}.
 *
 * @example
 * ```ts
 * new ValidationPipe({ transform: true, transformerPackage: plannedTransformer });
 * ```
 */
export const plannedTransformer = { plainToInstance: plannedPlainToInstance, classToPlain: instanceToPlain };

/**
 * class-transformer's TransformOperationExecutor.transform, plain to class, default options,
 * no source object: its branches in its order.
 */
function rebuild(value: unknown, targetType: unknown, arrayType: unknown): unknown {
  if (Array.isArray(value) || value instanceof Set) {
    if (value instanceof Set || (arrayType !== undefined && arrayType !== Array)) throw UNPLANNED;
    // A type that is no class (a type function's odd answer) is read for discriminators there.
    if (targetType && typeof targetType !== 'function') throw UNPLANNED;
    const array: unknown[] = [];
    // forEach as class-transformer does: holes are skipped, not copied.
    value.forEach((item: unknown) => {
      if (item instanceof Map) throw UNPLANNED;
      array.push(rebuild(item, targetType, undefined));
    });
    return array;
  }
  if (targetType === String) return value === null || value === undefined ? value : String(value);
  if (targetType === Number) return value === null || value === undefined ? value : Number(value);
  if (targetType === Boolean) return value === null || value === undefined ? value : Boolean(value);
  if (targetType === Date || value instanceof Date) {
    if (value instanceof Date) return new Date(value.valueOf());
    return value === null || value === undefined ? value : new Date(value as string);
  }
  if (targetType === Buffer || value instanceof Buffer) {
    return value === null || value === undefined ? value : Buffer.from(value as string);
  }
  if (value === null || typeof value !== 'object') return value;
  // A thenable, or a Map, whose keys class-transformer takes for property names.
  if (typeof (value as { then?: unknown }).then === 'function' || value instanceof Map) throw UNPLANNED;
  return rebuildObject(value, targetType);
}

function rebuildObject(value: object, targetType: unknown): object {
  let type = targetType;
  const constructor = (value as { constructor?: unknown }).constructor;
  // class-transformer takes a typeless value's own class, except for an array's prototype
  // under a non-array (a known denial-of-service shape), which it builds as a plain object.
  if (!type && constructor !== Object && !(constructor === Array && !Array.isArray(value))) type = constructor;
  if (type && typeof type !== 'function') throw UNPLANNED;
  const plan = type ? planFor(type as Class) : undefined;
  const keys = Object.keys(value);
  const built = (type ? new (type as new () => object)() : {}) as Record<string, unknown>;
  const source = value as Record<string, unknown>;
  for (const key of keys) {
    if (key === '__proto__' || key === 'constructor') continue;
    const item = source[key];
    let itemType: unknown;
    const metadata = plan?.types.get(key);
    if (metadata) {
      itemType = metadata.typeFunction
        ? metadata.typeFunction({ newObject: built, object: value, property: key })
        : metadata.reflectedType;
    }
    if (item instanceof Map) throw UNPLANNED;
    // class-transformer reads the property a second time to see whether it is an array.
    const itemArrayType = Array.isArray(source[key]) ? metadata?.reflectedType : undefined;
    // A property the built object's class defines as a getter without a setter, or as a
    // method, is left as the class made it.
    const prototype = (built.constructor as { prototype?: object }).prototype;
    if (prototype) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
      if ((descriptor && !descriptor.set) || built[key] instanceof Function) continue;
    }
    built[key] = rebuild(item, itemType, itemArrayType);
  }
  return built;
}

/** The class's plan, or UNPLANNED when it (or an ancestor) carries more than `@Type`. */
function planFor(type: Class): ClassPlan {
  let plan = plans.get(type);
  if (plan === undefined) {
    plan = makePlan(type);
    plans.set(type, plan);
  }
  if (plan === UNPLANNED) throw UNPLANNED;
  return plan;
}

function makePlan(type: Class): ClassPlan | typeof UNPLANNED {
  const ancestors = storage.getAncestors(type);
  const types = new Map<string, TypeMetadata>();
  // class-transformer finds a property's type on the class first, then on its nearest ancestor.
  for (const owner of [...ancestors].reverse().concat(type)) {
    if (
      storage._transformMetadatas.has(owner) ||
      storage._exposeMetadatas.has(owner) ||
      storage._excludeMetadatas.has(owner)
    ) {
      return UNPLANNED;
    }
    for (const [property, metadata] of storage._typeMetadatas.get(owner) ?? []) {
      const discriminator = metadata.options?.discriminator;
      if ((discriminator?.property && discriminator.subTypes) || metadata.reflectedType === Map) return UNPLANNED;
      types.set(property, metadata);
    }
  }
  return { types };
}

/** A decorator applied at run time may change any class's plan: they are made again. */
function watchForNewMetadata(): void {
  for (const method of [
    'addTypeMetadata',
    'addTransformMetadata',
    'addExposeMetadata',
    'addExcludeMetadata',
    'clear',
  ] as const) {
    const original = storage[method].bind(storage) as (metadata?: unknown) => void;
    storage[method] = (metadata?: unknown) => {
      plans = new WeakMap();
      original(metadata);
    };
  }
}
