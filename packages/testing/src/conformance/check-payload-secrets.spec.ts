import orders from '@coordinator/extension-orders';
import payments from '@coordinator/extension-payments';
import { describe, expect, it } from '@jest/globals';
import { checkPayloadSecrets, sensitiveNameReason } from './check-payload-secrets.js';
import { cardDataExtension } from './fixtures/card-data-extension.js';
import { tinyExtension } from './fixtures/tiny-extension.js';

describe('sensitiveNameReason', () => {
  it.each([
    ['pan', 'a card number'],
    ['PAN', 'a card number'],
    ['cardNumber', 'a card number'],
    ['card_number', 'a card number'],
    ['cc-no', 'a card number'],
    ['creditcardnumber', 'a card number'],
    ['primaryCardNum', 'a card number'],
    ['cvc', 'a card security code'],
    ['CVV2', 'a card security code'],
    ['cardSecurityCode', 'a card security code'],
    ['cardExpiry', 'a card expiry date'],
    ['cc_exp', 'a card expiry date'],
    ['exp_month', 'a card expiry date'],
    ['expYear', 'a card expiry date'],
    ['password', 'a password'],
    ['customerPwd', 'a password'],
    ['clientSecret', 'a secret'],
    ['webhook_secret', 'a secret'],
    ['apiKey', 'a key'],
    ['private_key', 'a key'],
    ['accessToken', 'a token'],
    ['cardToken', 'a token'],
    ['tokens', 'a token'],
  ])('flags %s as %s', (name, reason) => {
    expect(sensitiveNameReason(name)).toBe(reason);
  });

  it.each([
    'paymentMethodId',
    'paymentMethod',
    'paymentIntentId',
    'tokenId',
    'cardTokenIds',
    'idempotencyKey',
    'expiresAt',
    'orderId',
    'amount',
    'currency',
    'last4',
    'panel',
    'company',
    'keyboard',
    'expected',
    'description',
  ])('accepts %s', (name) => {
    expect(sensitiveNameReason(name)).toBeUndefined();
  });
});

describe('checkPayloadSecrets', () => {
  it('names every card-data or secret property of task and signal payloads, nested ones too', () => {
    expect(checkPayloadSecrets(cardDataExtension).map((p) => p.replace(/; card data and secrets.*$/, ''))).toEqual([
      'task "carddata.charge": payload ChargeCardPayload has property "card.cardNumber", named like a card number',
      'task "carddata.charge": payload ChargeCardPayload has property "card.cvc", named like a card security code',
      'task "carddata.charge": payload ChargeCardPayload has property "card.exp_month", named like a card expiry date',
      'task "carddata.charge": payload ChargeCardPayload has property "card.expYear", named like a card expiry date',
      'task "carddata.charge": payload ChargeCardPayload has property "clientSecret", named like a secret',
      'task "carddata.link-account": payload AccountPayload has property "customerPassword", named like a password',
      'task "carddata.link-account": payload AccountPayload has property "access_token", named like a token',
      'signal "carddata.cards-seen": payload CardsSeen has property "lines[].PAN", named like a card number',
    ]);
  });

  it('says what to do instead', () => {
    expect(checkPayloadSecrets(cardDataExtension)[0]).toMatch(
      /must not travel in payloads: pass the payment provider's id/,
    );
  });

  it('passes the orders and payments extensions and the kit’s own fixture', () => {
    expect(checkPayloadSecrets(orders)).toEqual([]);
    expect(checkPayloadSecrets(payments)).toEqual([]);
    expect(checkPayloadSecrets(tinyExtension)).toEqual([]);
  });
});
