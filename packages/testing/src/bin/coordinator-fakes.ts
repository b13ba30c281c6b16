#!/usr/bin/env node
/**
 * Runs the fake downstream services as a standalone process, for the demo and for
 * chaos tests that steer them over HTTP (`POST /__faults`).
 *
 * Usage: `coordinator-fakes [--oms-port N]`
 *
 * Prints one JSON line to stdout once listening, e.g. `{"oms":"http://127.0.0.1:4100"}`;
 * callers parse that line, so nothing else is ever written to stdout. Each call is
 * logged to stderr as one short line. Stops on SIGINT or SIGTERM. Nothing is exported:
 * importing this file starts the fakes.
 *
 * @example
 * ```sh
 * node packages/testing/dist/bin/coordinator-fakes.js --oms-port 4100
 * ```
 * @module
 */
import type { RecordedCall } from '../fakes/fake-http-server.js';
import { FakeOrderManagement } from '../fakes/fake-order-management.js';

const USAGE = 'usage: coordinator-fakes [--oms-port N]';

/**
 * Ports asked for on the command line; 0 means "any free port".
 *
 * @example
 * ```ts
 * const ports: FakePorts = { oms: 4100 };
 * ```
 */
interface FakePorts {
  oms: number;
}

/**
 * Reads `--oms-port N` or `--oms-port=N`.
 *
 * @throws with a message fit for stderr when an argument is unknown or a port is invalid.
 * @example
 * ```ts
 * parseArgs(['--oms-port', '4100']); // { oms: 4100 }
 * ```
 */
function parseArgs(argv: readonly string[]): FakePorts {
  const ports: FakePorts = { oms: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (flag !== '--oms-port') throw new Error(`unknown argument ${arg}\n${USAGE}`);
    const raw = inline ?? argv[++i];
    const port = Number(raw);
    if (raw === undefined || raw === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error(`--oms-port needs a port number (0-65535), got ${raw ?? 'nothing'}\n${USAGE}`);
    }
    ports.oms = port;
  }
  return ports;
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

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  const ports = parseArgs(argv);
  const oms = new FakeOrderManagement();
  oms.onCall((call) => process.stderr.write(`${formatCall(oms.name, call)}\n`));
  const omsUrl = await oms.start(ports.oms);
  process.stdout.write(`${JSON.stringify({ oms: omsUrl })}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    // A second signal means the graceful close is stuck; give up on it.
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`coordinator-fakes: ${signal}, closing\n`);
    oms.close().then(
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
