import { Transform, Type } from 'class-transformer';
import { IsBoolean } from 'class-validator';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/**
 * A boolean environment variable: `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`,
 * any case); anything else stops the host naming the variable. Plain implicit
 * conversion would read `"false"` as true, so the value is parsed here instead.
 *
 * @example
 * ```ts
 * class Settings extends HostSettings { @BooleanSetting() METRICS_ENABLED: boolean = true; }
 * ```
 */
export function BooleanSetting(): PropertyDecorator {
  // `Type(() => Object)` keeps class-transformer from running Boolean() over the parsed value.
  const type = Type(() => Object);
  const parse = Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const word = value.trim().toLowerCase();
    return TRUE.has(word) ? true : FALSE.has(word) ? false : value;
  });
  const check = IsBoolean({ message: ({ property }) => `${property} must be true or false` });
  return (target, key) => {
    type(target, key);
    parse(target, key);
    check(target, key as string);
  };
}
