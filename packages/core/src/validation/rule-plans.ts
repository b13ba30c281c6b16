import {
  getMetadataStorage,
  ValidationTypes,
  type MetadataStorage,
  type ValidationArguments,
  type ValidatorConstraintInterface,
  type ValidatorOptions,
} from 'class-validator';
import { cacheValidationMetadataLookups } from './metadata-lookup-cache.js';

// class-validator does not export the rule's type from its entry point.
type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];
type Condition = (object: object, value: unknown) => boolean;

/** One decorator's check on a property: the constraint instances to call and how. */
interface Check {
  readonly property: string;
  readonly constraints: unknown[];
  readonly each: boolean;
  readonly validateIf?: Condition;
  readonly validators: readonly ValidatorConstraintInterface[];
}

/** What class-validator does for one property of a class, decided once. */
interface PropertyPlan {
  readonly name: string;
  readonly conditions: readonly Condition[];
  readonly defined: readonly Check[];
  readonly custom: readonly Check[];
  /** The `@ValidateNested` rules; each names the schema that nested objects are looked up with. */
  readonly nested: readonly ValidationMetadata[];
  readonly awaitsPromise: boolean;
}

interface ClassPlan {
  readonly allowed: ReadonlySet<string>;
  readonly properties: readonly PropertyPlan[];
}

/** A class whose rules only class-validator itself can run (an async constraint, a rule type not known here). */
const UNDECIDABLE = Symbol('undecidable');

const plans = new WeakMap<readonly ValidationMetadata[], ClassPlan | typeof UNDECIDABLE>();

/**
 * Says whether class-validator's `validate(object, options)` would find nothing wrong with
 * `object`, without its cost: no error objects, no promise per constraint, no lookups per
 * property. `true` is a promise that `validate()` returns `[]` and changes nothing; `false`
 * only means "ask `validate()`", which then finds the errors (or strips the properties that
 * `whitelist` without `forbidNonWhitelisted` removes).
 *
 * Each class's rules become a plan once (per rule list, so a decorator applied later gets a
 * new plan): the conditions, the constraint instances and the nested rules of each property.
 * The plan calls the same constraint functions class-validator would, with the same
 * arguments, so a custom constraint decides here as it does there. A class with an async
 * constraint is always left to `validate()`; a constraint that answers with a promise
 * anyway sends that one object there, where it runs again.
 *
 * Constraint instances are taken from class-validator's container when the plan is made;
 * a container set with `useContainer()` afterwards is not consulted for that class.
 *
 * @example
 * ```ts
 * const errors = acceptsWithoutErrors(dto, options) ? [] : await validate(dto, options);
 * ```
 */
export function acceptsWithoutErrors(object: object, options: ValidatorOptions = {}): boolean {
  if (options.groups?.length || options.always || options.strictGroups) return false; // not planned for
  return acceptsObject(getMetadataStorage(), object, undefined, options);
}

function acceptsObject(
  storage: MetadataStorage,
  object: object,
  schema: string | undefined,
  options: ValidatorOptions,
): boolean {
  // As class-validator's executor: rules by the object's constructor, plus a nested rule's schema.
  const rules = storage.getTargetValidationMetadatas(object.constructor, schema as string, false, false);
  if (rules.length === 0) return options.forbidUnknownValues === false; // class-validator's default is true
  const plan = planFor(storage, rules);
  if (plan === UNDECIDABLE) return false;
  if (options.whitelist) {
    for (const key of Object.keys(object)) if (!plan.allowed.has(key)) return false;
  }
  for (const property of plan.properties) {
    const value = (object as Record<string, unknown>)[property.name];
    if (property.awaitsPromise && value instanceof Promise) return false;
    if (!acceptsProperty(storage, object, value, property, options)) return false;
  }
  return true;
}

function acceptsProperty(
  storage: MetadataStorage,
  object: object,
  value: unknown,
  property: PropertyPlan,
  options: ValidatorOptions,
): boolean {
  // class-validator runs every condition, then skips the property if any said no.
  let applies = true;
  for (const condition of property.conditions) applies = condition(object, value) && applies;
  if (!applies) return true;
  if (!passes(object, value, property.defined)) return false;
  if (skipped(value, options)) return true;
  return passes(object, value, property.custom) && acceptsNested(storage, value, property.nested, options);
}

function skipped(value: unknown, options: ValidatorOptions): boolean {
  if (value === undefined) return options.skipUndefinedProperties === true || options.skipMissingProperties === true;
  if (value === null) return options.skipNullProperties === true || options.skipMissingProperties === true;
  return false;
}

function passes(object: object, value: unknown, checks: readonly Check[]): boolean {
  for (const check of checks) {
    if (check.validateIf && !check.validateIf(object, value)) continue;
    const args: ValidationArguments = {
      targetName: object.constructor ? object.constructor.name : (undefined as unknown as string),
      property: check.property,
      object,
      value,
      constraints: check.constraints,
    };
    const items = check.each && isCollection(value) ? itemsOf(value) : undefined;
    for (const validator of check.validators) {
      if (
        items ? !items.every((item) => holds(validator.validate(item, args))) : !holds(validator.validate(value, args))
      ) {
        return false;
      }
    }
  }
  return true;
}

/** A constraint's answer, where a promise is no answer: `validate()` runs it again and reports what it settles to. */
function holds(verdict: unknown): boolean {
  if (isPromise(verdict)) {
    verdict.then(undefined, () => undefined); // this copy of the answer must not go unhandled
    return false;
  }
  return Boolean(verdict);
}

function acceptsNested(
  storage: MetadataStorage,
  value: unknown,
  nested: readonly ValidationMetadata[],
  options: ValidatorOptions,
): boolean {
  if (value === undefined) return true;
  for (const rule of nested) {
    if (isCollection(value)) {
      // Each item is checked against the same nested rules, as class-validator does.
      for (const item of value instanceof Map ? value.values() : value) {
        if (!skipped(item, options) && !acceptsNested(storage, item, nested, options)) return false;
      }
    } else if (value instanceof Object) {
      const schema = typeof rule.target === 'string' ? rule.target : rule.target.name;
      if (!acceptsObject(storage, value, schema, options)) return false;
    } else {
      return false;
    }
  }
  return true;
}

function planFor(storage: MetadataStorage, rules: readonly ValidationMetadata[]): ClassPlan | typeof UNDECIDABLE {
  let plan = plans.get(rules);
  if (plan === undefined) {
    plan = makePlan(storage, rules);
    // Only the lookup cache's frozen lists keep their identity from one call to the next.
    if (Object.isFrozen(rules)) plans.set(rules, plan);
  }
  return plan;
}

function makePlan(storage: MetadataStorage, rules: readonly ValidationMetadata[]): ClassPlan | typeof UNDECIDABLE {
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const rule of rules) {
    const list = byProperty.get(rule.propertyName);
    if (list) list.push(rule);
    else byProperty.set(rule.propertyName, [rule]);
  }
  const properties: PropertyPlan[] = [];
  for (const [name, list] of byProperty) {
    const conditions: Condition[] = [];
    const defined: Check[] = [];
    const custom: Check[] = [];
    const nested: ValidationMetadata[] = [];
    let awaitsPromise = false;
    for (const rule of list) {
      switch (rule.type) {
        case ValidationTypes.CONDITIONAL_VALIDATION:
          conditions.push(rule.constraints[0] as Condition);
          break;
        case ValidationTypes.IS_DEFINED:
        case ValidationTypes.CUSTOM_VALIDATION: {
          const check = checkOf(storage, rule);
          if (check === UNDECIDABLE) return UNDECIDABLE;
          (rule.type === ValidationTypes.IS_DEFINED ? defined : custom).push(check);
          break;
        }
        case ValidationTypes.NESTED_VALIDATION:
          nested.push(rule);
          break;
        case ValidationTypes.PROMISE_VALIDATION:
          awaitsPromise = true;
          break;
        case ValidationTypes.WHITELIST:
          break; // only makes the property allowed
        default:
          return UNDECIDABLE;
      }
    }
    properties.push({ name, conditions, defined, custom, nested, awaitsPromise });
  }
  return { allowed: new Set(byProperty.keys()), properties };
}

function checkOf(storage: MetadataStorage, rule: ValidationMetadata): Check | typeof UNDECIDABLE {
  const constraints = storage.getTargetValidatorConstraints(rule.constraintCls);
  if (constraints.some((constraint) => constraint.async)) return UNDECIDABLE;
  return {
    property: rule.propertyName,
    constraints: rule.constraints,
    each: rule.each,
    validateIf: rule.validateIf,
    validators: constraints.map((constraint) => constraint.instance as ValidatorConstraintInterface),
  };
}

function isCollection(value: unknown): value is unknown[] | Set<unknown> | Map<unknown, unknown> {
  return Array.isArray(value) || value instanceof Set || value instanceof Map;
}

function itemsOf(value: unknown[] | Set<unknown> | Map<unknown, unknown>): unknown[] {
  if (Array.isArray(value)) return value;
  return Array.from(value instanceof Map ? value.values() : value);
}

function isPromise(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function';
}

// The plans are keyed by the rule lists this cache hands out.
cacheValidationMetadataLookups();
