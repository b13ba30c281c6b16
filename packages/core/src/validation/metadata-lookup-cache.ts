import { getMetadataStorage, type MetadataStorage } from 'class-validator';

const INSTALLED = Symbol.for('@coordinator/core/validation-metadata-cache');

// class-validator does not export the rule's type from its entry point.
type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];
type Grouped = Record<string, ValidationMetadata[]>;
type CachedStorage = MetadataStorage & { [INSTALLED]?: true };

/**
 * Makes class-validator find a class's rules once instead of on every `validate()` call.
 *
 * For each object it validates (each nested one too), class-validator collects the class's
 * rules by scanning every decorated class it knows for the ancestors of this one, then groups
 * them by property: per request, work that grows with the number of DTOs every loaded extension
 * declares (typestack/class-validator#2686). The answer cannot change once the class is
 * defined, as its decorators and its ancestors' ran before it could be validated, so it is
 * kept per class and per options (groups, `always`, `strictGroups`). Rules or constraints
 * registered later (a decorator applied at run time) empty the cache. The cached lists are
 * frozen, so a caller that tried to change one would fail instead of changing every later
 * validation.
 *
 * Installed once per process on class-validator's global storage, which Nest's ValidationPipe
 * shares; calling it again does nothing.
 *
 * @example
 * ```ts
 * cacheValidationMetadataLookups();
 * await validate(plainToInstance(CreateOrderBody, body));
 * ```
 */
export function cacheValidationMetadataLookups(storage: MetadataStorage = getMetadataStorage()): void {
  const target = storage as CachedStorage;
  if (target[INSTALLED]) return;
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const groupByProperty = storage.groupByPropertyName.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  const addConstraint = storage.addConstraintMetadata.bind(storage);
  let byClass = new WeakMap<object, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Grouped>();

  storage.getTargetValidationMetadatas = (targetConstructor, targetSchema, always, strictGroups, groups) => {
    // No groups and an empty list select the same rules in class-validator. The usual call (no
    // schema, no groups, no options) gets a key without building a string.
    const key =
      !targetSchema && !always && !strictGroups && !groups?.length
        ? ''
        : `${targetSchema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}`;
    let lists = byClass.get(targetConstructor);
    if (!lists) byClass.set(targetConstructor, (lists = new Map()));
    let rules = lists.get(key);
    if (!rules) {
      rules = Object.freeze(
        lookUp(targetConstructor, targetSchema, always, strictGroups, groups),
      ) as ValidationMetadata[];
      lists.set(key, rules);
    }
    return rules;
  };
  storage.groupByPropertyName = (metadata) => {
    // Only lists this cache handed out are known by identity; others are grouped each time.
    if (!Object.isFrozen(metadata)) return groupByProperty(metadata);
    let byProperty = grouped.get(metadata);
    if (!byProperty) grouped.set(metadata, (byProperty = groupByProperty(metadata)));
    return byProperty;
  };
  storage.addValidationMetadata = (metadata) => {
    byClass = new WeakMap();
    grouped = new WeakMap();
    add(metadata);
  };
  // The rule plans (rule-plans.ts) are keyed by these lists and hold the constraints found for
  // them: a constraint registered later needs new lists too.
  storage.addConstraintMetadata = (metadata) => {
    byClass = new WeakMap();
    grouped = new WeakMap();
    addConstraint(metadata);
  };
  target[INSTALLED] = true;
}
