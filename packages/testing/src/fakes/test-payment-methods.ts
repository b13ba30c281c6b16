/**
 * What confirming with a test PaymentMethod does: charge the card, or decline it with
 * Stripe's error code, decline code and message.
 *
 * @example
 * ```ts
 * const outcome: TestCardOutcome = TEST_PAYMENT_METHODS['pm_card_chargeDeclined']!;
 * outcome.kind; // 'decline'
 * ```
 */
export type TestCardOutcome =
  | { kind: 'success'; brand: string; last4: string }
  | { kind: 'decline'; brand: string; last4: string; code: string; declineCode: string; message: string };

const DECLINED = 'Your card was declined.';

/**
 * The test PaymentMethod tokens the fake accepts, named as in Stripe's testing docs so
 * the same values work against a Stripe test account.
 *
 * @example
 * ```ts
 * Object.keys(TEST_PAYMENT_METHODS); // ['pm_card_visa', 'pm_card_mastercard', …]
 * ```
 */
export const TEST_PAYMENT_METHODS: Readonly<Record<string, TestCardOutcome>> = {
  pm_card_visa: { kind: 'success', brand: 'visa', last4: '4242' },
  pm_card_visa_debit: { kind: 'success', brand: 'visa', last4: '5556' },
  pm_card_mastercard: { kind: 'success', brand: 'mastercard', last4: '4444' },
  pm_card_amex: { kind: 'success', brand: 'amex', last4: '8431' },
  pm_card_chargeDeclined: {
    kind: 'decline',
    brand: 'visa',
    last4: '0002',
    code: 'card_declined',
    declineCode: 'generic_decline',
    message: DECLINED,
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    kind: 'decline',
    brand: 'visa',
    last4: '9995',
    code: 'card_declined',
    declineCode: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  },
  pm_card_chargeDeclinedExpiredCard: {
    kind: 'decline',
    brand: 'visa',
    last4: '0069',
    code: 'expired_card',
    declineCode: 'expired_card',
    message: 'Your card has expired.',
  },
  pm_card_chargeDeclinedIncorrectCvc: {
    kind: 'decline',
    brand: 'visa',
    last4: '0127',
    code: 'incorrect_cvc',
    declineCode: 'incorrect_cvc',
    message: "Your card's security code is incorrect.",
  },
};

/**
 * The outcome for a test token, or undefined for anything else.
 *
 * @example
 * ```ts
 * testPaymentMethod('pm_card_visa'); // { kind: 'success', brand: 'visa', last4: '4242' }
 * testPaymentMethod('pm_123'); // undefined
 * ```
 */
export function testPaymentMethod(token: string): TestCardOutcome | undefined {
  return Object.hasOwn(TEST_PAYMENT_METHODS, token) ? TEST_PAYMENT_METHODS[token] : undefined;
}
