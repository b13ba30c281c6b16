import type { FormRecord, FormValue } from './form-body.js';
import { invalidParam, missingParam, StripeRequestFailure } from './stripe-errors.js';
import type { StripeMetadata } from './stripe-objects.js';

/**
 * The parameters of one Stripe request, read the way Stripe reads them: every value
 * arrives as a string, so integers and booleans are parsed here, and any parameter the
 * endpoint does not know is refused. Refusing unknown parameters keeps the fake honest:
 * code that sends something the fake would silently ignore fails here, not against the
 * real API. Every reader throws a {@link StripeRequestFailure} naming the parameter.
 *
 * @example
 * ```ts
 * const params = new StripeParams(body, ['amount', 'currency', 'metadata']);
 * const amount = params.requiredInteger('amount');
 * const metadata = params.metadata();
 * ```
 */
export class StripeParams {
  /**
   * @param record the parsed body or query; undefined reads as no parameters.
   * @param known top-level names the endpoint accepts; anything else → 400 `parameter_unknown`.
   * @throws {@link StripeRequestFailure} for the first unknown parameter.
   */
  constructor(
    private readonly record: FormRecord | undefined,
    known: readonly string[],
  ) {
    for (const name of Object.keys(record ?? {})) {
      if (!known.includes(name)) throw unknownParam(name);
    }
  }

  /**
   * A string parameter, or undefined when absent.
   *
   * @example
   * ```ts
   * params.string('payment_method'); // 'pm_card_visa'
   * ```
   */
  string(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalidParam(name, 'parameter_invalid_string', `Invalid string: ${name}`);
    return value;
  }

  /**
   * A string parameter that must be present and non-empty.
   *
   * @example
   * ```ts
   * params.requiredString('currency'); // 'eur'
   * ```
   */
  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw missingParam(name);
    return value;
  }

  /**
   * An integer parameter, or undefined when absent.
   *
   * @example
   * ```ts
   * params.integer('amount_to_capture'); // 300
   * ```
   */
  integer(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!/^-?\d{1,15}$/.test(value)) throw invalidParam(name, 'parameter_invalid_integer', `Invalid integer: ${value}`);
    return Number(value);
  }

  /**
   * An integer parameter that must be present.
   *
   * @example
   * ```ts
   * params.requiredInteger('amount'); // 500
   * ```
   */
  requiredInteger(name: string): number {
    const value = this.integer(name);
    if (value === undefined) throw missingParam(name);
    return value;
  }

  /**
   * A boolean parameter (`true` / `false` on the wire), or undefined when absent.
   *
   * @example
   * ```ts
   * params.boolean('confirm'); // true
   * ```
   */
  boolean(name: string): boolean | undefined {
    return readBoolean(name, this.string(name));
  }

  /**
   * A parameter restricted to some values, or undefined when absent.
   *
   * @example
   * ```ts
   * params.oneOf('capture_method', ['automatic', 'manual'] as const); // 'manual'
   * ```
   */
  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value))
      throw invalidParam(name, undefined, `Invalid ${name}: must be one of ${values.join(', ')}`);
    return value as T;
  }

  /**
   * A list of strings (`expand[]=a` or `payment_method_types[0]=card`), or undefined.
   *
   * @example
   * ```ts
   * params.stringList('expand'); // ['latest_charge']
   * ```
   */
  stringList(name: string): string[] | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
      throw invalidParam(name, undefined, `Invalid array: ${name}`);
    return value as string[];
  }

  /**
   * A hash parameter checked against the keys it may have, or undefined when absent.
   *
   * @example
   * ```ts
   * params.hash('automatic_payment_methods', ['enabled', 'allow_redirects']); // { enabled: 'true' }
   * ```
   */
  hash(name: string, known: readonly string[]): FormRecord | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value))
      throw invalidParam(name, undefined, `Invalid object: ${name} must be a hash`);
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) throw unknownParam(`${name}[${key}]`);
    }
    return value;
  }

  /**
   * The `metadata` hash with Stripe's limits (50 keys, keys up to 40 characters, values up
   * to 500); `{}` when absent. An empty value unsets a key, as on Stripe.
   *
   * @example
   * ```ts
   * params.metadata(); // { orderId: 'A-1' }
   * ```
   */
  metadata(): StripeMetadata {
    const value = this.raw('metadata');
    if (value === undefined || value === '') return {};
    if (typeof value === 'string') throw invalidParam('metadata', undefined, 'Invalid object: metadata must be a hash');
    // Keys 0..n-1 arrive as a list (see parseFormBody); metadata is always a hash.
    const entries: [string, FormValue][] = Array.isArray(value)
      ? value.map((item, index) => [String(index), item])
      : Object.entries(value);
    if (entries.length > 50)
      throw invalidParam('metadata', undefined, 'Metadata can have up to 50 keys, but you passed in more.');
    const metadata: StripeMetadata = {};
    for (const [key, item] of entries) {
      const param = `metadata[${key}]`;
      if (typeof item !== 'string') throw invalidParam(param, 'parameter_invalid_string', `Invalid string: ${param}`);
      if (key.length > 40)
        throw invalidParam(param, undefined, 'Metadata keys can have up to 40 characters, but you passed in more.');
      if (item.length > 500)
        throw invalidParam(param, undefined, 'Metadata values can have up to 500 characters, but you passed in more.');
      if (item !== '') Object.defineProperty(metadata, key, { value: item, enumerable: true, writable: true });
    }
    return metadata;
  }

  private raw(name: string): FormValue | undefined {
    return this.record && Object.hasOwn(this.record, name) ? this.record[name] : undefined;
  }
}

/**
 * Reads a form boolean: `true` / `false`, or undefined when absent.
 *
 * @throws {@link StripeRequestFailure} naming `name` for anything else.
 * @example
 * ```ts
 * readBoolean('automatic_payment_methods[enabled]', 'true'); // true
 * ```
 */
export function readBoolean(name: string, value: FormValue | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidParam(name, undefined, `Invalid boolean: ${typeof value === 'string' ? value : name}`);
}

function unknownParam(name: string): StripeRequestFailure {
  return invalidParam(name, 'parameter_unknown', `Received unknown parameter: ${name}`);
}
