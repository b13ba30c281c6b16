#!/usr/bin/env node
/**
 * Runs the fake downstream services as a standalone process, for the demo and for
 * chaos tests that steer them over HTTP (`POST /__faults`, `POST /__webhooks`): the
 * order-management service and a payment provider that speaks Stripe's wire format.
 *
 * Usage: `coordinator-fakes [--oms-port N] [--port N] [--webhook-url URL] [--webhook-secret S]`
 * (`--port` is the payment provider's; every flag also takes `--flag=value`).
 *
 * Prints one JSON line to stdout once both listen, e.g.
 * `{"oms":"http://127.0.0.1:4100","provider":"http://127.0.0.1:4200","providerApiKey":"sk_test_fake","webhookSecret":"whsec_…"}`;
 * callers parse that line, so nothing else is ever written to stdout. Each call and
 * each webhook delivery is logged to stderr as one short line prefixed `oms` or `psp`.
 * Stops on SIGINT or SIGTERM. Nothing is exported: importing this file starts the fakes.
 *
 * @example
 * ```sh
 * node packages/testing/dist/bin/coordinator-fakes.js --oms-port 4100 --port 4200 \
 *   --webhook-url http://127.0.0.1:3000/payments/webhooks/stripe
 * ```
 * @module
 */
import type { RecordedCall } from '../fakes/fake-http-server.js';
import { FakeOrderManagement } from '../fakes/fake-order-management.js';
import { FakePaymentProvider } from '../fakes/fake-payment-provider.js';
import type { WebhookDelivery } from '../fakes/webhook-sender.js';

const USAGE = 'usage: coordinator-fakes [--oms-port N] [--port N] [--webhook-url URL] [--webhook-secret S]';

/**
 * What the command line asks for; port 0 means "any free port".
 *
 * @example
 * ```ts
 * const config: FakesConfig = { omsPort: 4100, providerPort: 0, webhookUrl: undefined, webhookSecret: undefined };
 * ```
 */
interface FakesConfig {
  omsPort: number;
  providerPort: number;
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
}

/**
 * Reads the flags, each as `--flag value` or `--flag=value`.
 *
 * @throws with a message fit for stderr when an argument is unknown or a value is invalid.
 * @example
 * ```ts
 * parseArgs(['--oms-port', '4100', '--port=4200']); // { omsPort: 4100, providerPort: 4200, … }
 * ```
 */
function parseArgs(argv: readonly string[]): FakesConfig {
  const config: FakesConfig = { omsPort: 0, providerPort: 0, webhookUrl: undefined, webhookSecret: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    const missing = (what: string): Error => new Error(`${flag} needs ${what}, got ${value ?? 'nothing'}\n${USAGE}`);
    switch (flag) {
      case '--oms-port':
      case '--port': {
        const port = Number(value);
        if (value === undefined || value === '' || !Number.isInteger(port) || port < 0 || port > 65535)
          throw missing('a port number (0-65535)');
        if (flag === '--oms-port') config.omsPort = port;
        else config.providerPort = port;
        break;
      }
      case '--webhook-url':
        if (!value || !URL.canParse(value)) throw missing('an http(s) URL');
        config.webhookUrl = value;
        break;
      case '--webhook-secret':
        if (!value) throw missing('a signing secret');
        config.webhookSecret = value;
        break;
      default:
        throw new Error(`unknown argument ${arg}\n${USAGE}`);
    }
  }
  return config;
}

/**
 * One stderr line per call, e.g. `oms  POST /orders 201 12ms`.
 *
 * @example
 * ```ts
 * formatCall('oms', call); // 'oms  POST /orders 503 3ms (fault)'
 * ```
 */
function formatCall(name: string, call: RecordedCall): string {
  const outcome = call.status === undefined ? 'reset' : String(call.status);
  const fault = call.fault ? ' (fault)' : '';
  return `${name.padEnd(4)} ${call.method} ${call.path} ${outcome} ${call.durationMs}ms${fault}`;
}

/**
 * One stderr line per webhook attempt, e.g. `psp  webhook payment_intent.succeeded evt_… #2 → 200`.
 *
 * @example
 * ```ts
 * formatDelivery('psp', delivery); // 'psp  webhook charge.refunded evt_1 #1 → ECONNREFUSED …'
 * ```
 */
function formatDelivery(name: string, delivery: WebhookDelivery): string {
  const outcome = delivery.status === undefined ? (delivery.error ?? 'failed') : String(delivery.status);
  const copy = delivery.copy > 1 ? ' (duplicate)' : '';
  return `${name.padEnd(4)} webhook ${delivery.type} ${delivery.eventId} #${delivery.attempt} → ${outcome}${copy}`;
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  const config = parseArgs(argv);
  const oms = new FakeOrderManagement();
  const psp = new FakePaymentProvider({ webhookUrl: config.webhookUrl, webhookSecret: config.webhookSecret });
  oms.onCall((call) => process.stderr.write(`${formatCall(oms.name, call)}\n`));
  psp.onCall((call) => process.stderr.write(`${formatCall(psp.name, call)}\n`));
  psp.onWebhookDelivery((delivery) => process.stderr.write(`${formatDelivery(psp.name, delivery)}\n`));

  const closeAll = (): Promise<void> => Promise.all([oms.close(), psp.close()]).then(() => undefined);
  let omsUrl: string;
  let providerUrl: string;
  try {
    [omsUrl, providerUrl] = await Promise.all([oms.start(config.omsPort), psp.start(config.providerPort)]);
  } catch (err) {
    // One fake may be listening already; close it so the process can exit with the error.
    await closeAll();
    throw err;
  }
  const ready = { oms: omsUrl, provider: providerUrl, providerApiKey: psp.apiKey, webhookSecret: psp.webhookSecret };
  process.stdout.write(`${JSON.stringify(ready)}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    // A second signal means the graceful close is stuck; give up on it.
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`coordinator-fakes: ${signal}, closing\n`);
    closeAll().then(
      () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      },
      (err: unknown) => {
        process.stderr.write(`coordinator-fakes: close failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`coordinator-fakes: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
