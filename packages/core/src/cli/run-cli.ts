import { relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { CORE_VERSION } from '../contract/core-version.js';
import { ExtensionLoadError } from '../runtime/extension-registry.js';
import { ConfigurationError, RedisUnreachableError, UsageError, type CliIo } from './command.js';
import { extensionNameProblem, scopeProblem } from './extension-name.js';
import { newExtension, TargetNotEmptyError } from './new-extension.js';

export type { CliIo } from './command.js';

const USAGE = `Usage: coordinator <command> [options]

Commands:
  new-extension <name>   write a standalone extension package, ready to test, build and publish
  api-key                make an API key for the API host and its COORDINATOR_API_KEYS entry

Operations (configured like the hosts: REDIS_URL, COORDINATOR_EXTENSIONS, COORDINATOR_WIRING,
COORDINATOR_PIPELINES, COORDINATOR_PREFIX, COORDINATOR_ALLOW_INCOMPATIBLE; extensions
resolve from the current directory):
  wiring                 the loaded extensions' tasks, signals, handlers and pipelines (no Redis needed)
  queues                 job counts per state per queue
  workers                live worker hosts, queues nobody serves, version skew
  dead-letters list      failed jobs, newest first
  dead-letters replay    move failed jobs back to waiting

Options:
  -h, --help             show help (also after a command)
  -v, --version          print the @coordinator/core version

Exit codes: 0 done, 1 refused or problems found (invalid wiring, jobs not replayed),
2 wrong command line, invalid configuration or Redis unreachable.`;

const NEW_EXTENSION_USAGE = `Usage: coordinator new-extension <name> [--scope @acme] [--dir path]

Writes the package [@scope/]coordinator-extension-<name> for @coordinator/core ${CORE_VERSION}:
an endpoint that dispatches a task, the task, the signal it emits and a handler of that
signal, tests (inline mode always, Redis mode when REDIS_URL is set), build, test and
changesets set-up, and a README on developing, releasing and deploying it.

Arguments:
  <name>          lower-case letters, digits and dashes, starting with a letter ("loyalty", "gift-cards");
                  names the extension, prefixes its tasks ("<name>.record-entry") and its signal

Options:
  --scope @acme   npm scope of the package (default: none)
  --dir path      where to write it (default: ./coordinator-extension-<name>); must be missing or empty
  -h, --help      show this help`;

/**
 * Runs the `coordinator` command line and resolves to its exit code: 0 when done, 1 when
 * the work was refused or found problems (a non-empty target directory, invalid wiring,
 * jobs not replayed), 2 for a wrong command line, invalid settings or Redis unreachable.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2));
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined) {
      io.err(USAGE);
      return 2;
    }
    if (command === '-h' || command === '--help' || command === 'help') {
      io.out(USAGE);
      return 0;
    }
    if (command === '-v' || command === '--version') {
      io.out(CORE_VERSION);
      return 0;
    }
    if (command === 'new-extension') return newExtensionCommand(rest, io);
    if (command === 'api-key') return (await import('./api-key-command.js')).apiKeyCommand(rest, io);
    // Imported on use: the operations commands load BullMQ, ioredis and class-validator,
    // which new-extension (run with npx, outside any deployment) does without.
    if (command === 'wiring') return await (await import('./wiring-command.js')).wiringCommand(rest, io);
    if (command === 'queues') return await (await import('./queues-command.js')).queuesCommand(rest, io);
    if (command === 'workers') return await (await import('./workers-command.js')).workersCommand(rest, io);
    if (command === 'dead-letters') {
      return await (await import('./dead-letters-command.js')).deadLettersCommand(rest, io);
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`coordinator: ${error.message}`);
      io.err(`Run "coordinator${helpTopic(argv)} --help" for usage.`);
      return 2;
    }
    if (error instanceof RedisUnreachableError || error instanceof ConfigurationError) {
      io.err(`coordinator: ${error.message}`);
      return 2;
    }
    if (error instanceof ExtensionLoadError) {
      io.err(`coordinator: ${error.message}`);
      return 1;
    }
    if (error instanceof TargetNotEmptyError) {
      io.err(`coordinator: refusing to overwrite: ${error.message}`);
      return 1;
    }
    io.err(`coordinator: ${(error as Error).message}`);
    return 1;
  }
}

function newExtensionCommand(args: readonly string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { scope: { type: 'string' }, dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(NEW_EXTENSION_USAGE);
    return 0;
  }
  const [name, ...extra] = positionals;
  if (name === undefined) throw new UsageError('new-extension needs a name, like "coordinator new-extension loyalty"');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const nameProblem = extensionNameProblem(name);
  if (nameProblem) throw new UsageError(nameProblem);
  // `--scope acme` is taken to mean `@acme`.
  const scope = values.scope === undefined ? undefined : values.scope.replace(/^(?!@)/, '@');
  const badScope = scope === undefined ? undefined : scopeProblem(scope);
  if (badScope) throw new UsageError(badScope);

  const show = (path: string) => {
    const shown = relative(io.cwd, path);
    return shown === '' ? '.' : shown.startsWith(`..${sep}`) || shown === '..' ? path : shown;
  };
  const result = newExtension({
    name,
    scope,
    dir: values.dir,
    cwd: io.cwd,
    onFile: (path) => io.out(`  create ${show(path)}`),
  });
  const dir = show(result.dir);
  const { packageName } = result.names;
  io.out('');
  io.out(`Created ${packageName} (${result.files.length} files) for @coordinator/core ^${CORE_VERSION}.`);
  io.out('');
  io.out('Next steps:');
  io.out(`  cd ${/\s/.test(dir) ? JSON.stringify(dir) : dir}`);
  io.out('  git init && npm install');
  io.out('  npm test                                  # inline mode (no Redis needed)');
  io.out('  REDIS_URL=redis://127.0.0.1:6379 npm test # and against a real Redis with real workers');
  io.out('  npm run build');
  io.out('  npx changeset                             # describe each change; README.md explains releasing');
  io.out('');
  io.out(`Deploy: add ${packageName} to your deployment's dependencies, next to`);
  io.out('@coordinator/api-host and @coordinator/worker-host, and start both hosts with');
  io.out(`  COORDINATOR_EXTENSIONS=${packageName}`);
  return 0;
}

const COMMANDS = new Set(['new-extension', 'api-key', 'wiring', 'queues', 'workers', 'dead-letters']);

/** The command whose help explains a usage error: `" wiring"`, `" dead-letters replay"`, or `""`. */
function helpTopic(argv: readonly string[]): string {
  const [command, sub] = argv;
  if (command === undefined || !COMMANDS.has(command)) return '';
  return command === 'dead-letters' && (sub === 'list' || sub === 'replay') ? ` ${command} ${sub}` : ` ${command}`;
}

function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    cwd: process.cwd(),
    env: process.env,
  };
}
