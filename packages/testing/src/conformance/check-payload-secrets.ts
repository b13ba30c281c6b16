import { isExtension, type Extension, type PayloadClass } from '@coordinator/core';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { getMetadataStorage } from 'class-validator';

/**
 * Why a payload property's name says it holds card data or a secret, or `undefined`
 * when it does not. The name is split into lower-case words (`cardNumber`,
 * `card_number`, `card-number` → `card number`) and read as follows:
 *
 * | what | flagged when the words contain | e.g. flagged |
 * |---|---|---|
 * | card number | `pan`; `card` or `cc` with `number`, `num` or `no`; or the name runs them together | `pan`, `cardNumber`, `cc_no`, `creditcardnumber` |
 * | security code | `cvc`, `cvv`, `cvc2`, `cvv2`, `csc`; `security` with `code` | `cvc`, `cardSecurityCode` |
 * | card expiry | `exp`, `expiry`, `expiration` or `expires` with `card` or `cc`; `exp` with `month` or `year` | `cardExpiry`, `exp_month` |
 * | password | `password`, `passwd`, `pwd`, `passphrase` | `customerPassword` |
 * | secret | `secret` | `clientSecret`, `webhookSecret` |
 * | private or API key | `private` or `api` with `key`; `apikey` | `apiKey`, `private_key` |
 * | token | `token`, unless the last word is `id` or `ids` | `accessToken`, `cardToken` |
 *
 * `password`, `secret` and `token` match in the plural too (`tokens`).
 * Ids of what the provider keeps are fine, and what a payload should carry instead:
 * `paymentMethodId`, `paymentIntentId`, `tokenId`. So are `idempotencyKey`, an expiry
 * that is not a card's (`expiresAt`), and `paymentMethod` holding the provider's `pm_…`
 * reference. A false positive is fixed by naming the property for what it holds.
 *
 * @example
 * ```ts
 * sensitiveNameReason('cardNumber'); // 'a card number'
 * sensitiveNameReason('paymentMethodId'); // undefined
 * ```
 */
export function sensitiveNameReason(name: string): string | undefined {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const has = (...candidates: string[]) => candidates.some((word) => words.includes(word));
  const joined = words.join('');
  const card = has('card', 'cc') || joined.includes('creditcard');

  if (has('pan') || (card && has('number', 'num', 'no')) || /(card|cc)(number|num)/.test(joined))
    return 'a card number';
  if (has('cvc', 'cvv', 'cvc2', 'cvv2', 'csc') || (has('security') && has('code'))) return 'a card security code';
  if ((card && has('exp', 'expiry', 'expiration', 'expires')) || (has('exp') && has('month', 'year'))) {
    return 'a card expiry date';
  }
  if (has('password', 'passwords', 'passwd', 'pwd', 'passphrase')) return 'a password';
  if (has('secret', 'secrets')) return 'a secret';
  if (has('apikey') || (has('private', 'api') && has('key'))) return 'a key';
  if (has('token', 'tokens') && !['id', 'ids'].includes(words.at(-1)!)) return 'a token';
  return undefined;
}

/**
 * Problems when a task or signal payload of the extension has a property whose name
 * says card data or a secret (see {@link sensitiveNameReason} for the rule), nested
 * DTOs (`@Type(() => Line)`) included. Payloads are stored in Redis, shown in the queue
 * dashboard and in `GET /tasks/:id`, logged when a task fails and kept for days: card
 * data and secrets stay with the payment provider, and payloads carry its ids.
 *
 * @example
 * ```ts
 * expect(checkPayloadSecrets(payments)).toEqual([]);
 * ```
 */
export function checkPayloadSecrets(extension: Extension): string[] {
  if (!isExtension(extension)) return [];
  const problems: string[] = [];
  const payloads = [
    ...extension.tasks.map((task) => ({ owner: `task "${task.name}"`, payload: task.payload })),
    ...extension.signals.map((signal) => ({ owner: `signal "${signal.name}"`, payload: signal.payload })),
  ];
  for (const { owner, payload } of payloads) {
    if (typeof payload !== 'function') continue;
    for (const { path, reason } of sensitiveProperties(payload)) {
      problems.push(
        `${owner}: payload ${payload.name} has property "${path}", named like ${reason}; ` +
          `card data and secrets must not travel in payloads: pass the payment provider's id for them (e.g. paymentMethodId)`,
      );
    }
  }
  return problems;
}

/** Every flagged property of a DTO and of the DTOs nested in it, with its path (`lines[].cardNumber`). */
function sensitiveProperties(
  cls: PayloadClass<object>,
  prefix = '',
  seen = new Set<object>(),
): { path: string; reason: string }[] {
  if (seen.has(cls)) return [];
  seen.add(cls);
  const found: { path: string; reason: string }[] = [];
  for (const property of propertiesOf(cls)) {
    const path = `${prefix}${property}`;
    const reason = sensitiveNameReason(property);
    if (reason) found.push({ path, reason });
    const type = defaultMetadataStorage.findTypeMetadata(cls, property);
    const nested: unknown = type?.typeFunction();
    if (typeof nested === 'function' && nested !== Object) {
      const list = type?.reflectedType === Array ? '[]' : '';
      found.push(...sensitiveProperties(nested as PayloadClass<object>, `${path}${list}.`, seen));
    }
  }
  return found;
}

/** The properties a DTO declares (inherited ones too): the whitelist lets through only decorated ones. */
function propertiesOf(cls: PayloadClass<object>): string[] {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  return [...new Set(metadatas.map((metadata) => metadata.propertyName))];
}
