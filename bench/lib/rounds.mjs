// A B A B …: every round runs each variant once, in the same order, so slow drifts of the machine
// (other jobs, thermal state, Redis' memory) touch every variant alike. Medians are taken per variant.
import { median } from './stats.mjs';

/**
 * Runs `measure(variant, round)` for `rounds` rounds of every variant; resolves to
 * `{ runs: { [variant]: result[] }, medians: { [variant]: { [field]: median } } }`.
 */
export async function alternate({ rounds, variants, fields, measure }) {
  const runs = Object.fromEntries(variants.map((v) => [v, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const variant of variants) runs[variant].push(await measure(variant, round));
  }
  const medians = Object.fromEntries(
    variants.map((v) => [v, Object.fromEntries(fields.map((f) => [f, median(runs[v].map((r) => pick(r, f)))]))]),
  );
  return { runs, medians };
}

/** `pick({ a: { b: 1 } }, 'a.b')` → 1. */
export function pick(object, field) {
  return field.split('.').reduce((value, key) => value?.[key], object);
}

export const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b !== 0 ? a / b : undefined);
