import { parseArgs } from 'node:util';
import type { ExtensionRegistry } from '../runtime/extension-registry.js';
import { parsePipelineConfig } from '../runtime/pipeline-config.js';
import { parseWiringOverrides } from '../runtime/wiring-overrides.js';
import type { WiringEnvironment } from '../runtime/host-settings.js';
import { loadCliRegistry, wiringSettings } from './cli-environment.js';
import { parseOrUsage, printJson, UsageError, type CliIo } from './command.js';
import { duration, table } from './format.js';

export const WIRING_USAGE = `Usage: coordinator wiring [--json]

Loads the extensions named by COORDINATOR_EXTENSIONS (resolved from the current directory,
like the hosts do), applies COORDINATOR_WIRING and COORDINATOR_PIPELINES, and prints the
graph: each extension's tasks (queue, retry attempts, timeout) and signals, every signal
with its handler tasks (handler id "<signal>-><task>", queue, and what deployment
overrides changed), and each pipeline's resolved steps. Needs no Redis.
Exits 1, listing every problem, when the hosts would refuse to start with this wiring.

Options:
  --json       print the graph as JSON
  -h, --help   show this help`;

/** One handler of a signal, as shipped and after `COORDINATOR_WIRING`. */
export interface WiringHandler {
  /** `<signal>-><task>`: the key `COORDINATOR_WIRING` uses. */
  id: string;
  task: string;
  extension: string;
  /** Where its jobs go; `undefined` when it is disabled. */
  queue: string | undefined;
  enabled: boolean;
  /** What the deployment changed, in words; empty when nothing. */
  notes: string[];
}

/** The graph `coordinator wiring` prints. */
export interface WiringReport {
  extensions: {
    name: string;
    version: string;
    coreRange: string | undefined;
    tasks: { name: string; queue: string; attempts: number; timeoutMs: number }[];
    signals: { name: string; optional: boolean }[];
  }[];
  signals: { name: string; extension: string; optional: boolean; handlers: WiringHandler[] }[];
  pipelines: {
    name: string;
    extension: string;
    timeoutMs: number;
    source: 'defaultSteps' | 'COORDINATOR_PIPELINES';
    steps: string[];
  }[];
  queues: string[];
}

/** `coordinator wiring`: prints the loaded graph; exit 1 when the wiring is invalid. */
export async function wiringCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }),
  );
  if (values.help) {
    io.out(WIRING_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const settings = wiringSettings(io);
  const registry = await loadCliRegistry(settings, io);
  const report = wiringReport(registry, settings);
  if (values.json) printJson(io, report);
  else printWiring(io, report);
  return 0;
}

/** The graph of a loaded registry, with the overrides of the settings it was loaded with. */
export function wiringReport(registry: ExtensionRegistry, settings: WiringEnvironment): WiringReport {
  const overrides = parseWiringOverrides(settings.COORDINATOR_WIRING);
  const pipelineConfig = parsePipelineConfig(settings.COORDINATOR_PIPELINES);
  const handlers = registry.extensions.flatMap((extension) =>
    extension.handlers.map((binding): WiringHandler & { signal: string } => {
      const override = overrides[binding.id] ?? {};
      const enabled = override.enabled ?? binding.enabled;
      const home = registry.task(binding.task.name).queue;
      const notes: string[] = [];
      if (override.enabled === false && binding.enabled) notes.push('disabled by COORDINATOR_WIRING');
      else if (override.enabled === true && !binding.enabled)
        notes.push('shipped disabled, enabled by COORDINATOR_WIRING');
      else if (!enabled) notes.push('shipped disabled');
      if (enabled && override.queue !== undefined && override.queue !== home) {
        notes.push(`re-routed by COORDINATOR_WIRING from queue ${home}`);
      }
      return {
        id: binding.id,
        signal: binding.signal,
        task: binding.task.name,
        extension: extension.name,
        queue: enabled ? (override.queue ?? home) : undefined,
        enabled,
        notes,
      };
    }),
  );
  return {
    extensions: registry.extensions.map((extension) => ({
      name: extension.name,
      version: extension.version,
      coreRange: extension.coreRange,
      tasks: extension.tasks.map((task) => ({
        name: task.name,
        queue: registry.task(task.name).queue,
        attempts: task.retry.attempts,
        timeoutMs: task.timeoutMs,
      })),
      signals: extension.signals.map((signal) => ({ name: signal.name, optional: signal.optional })),
    })),
    signals: registry.extensions.flatMap((extension) =>
      extension.signals.map((signal) => ({
        name: signal.name,
        extension: extension.name,
        optional: signal.optional,
        handlers: handlers.filter((h) => h.signal === signal.name).map(({ signal: _signal, ...handler }) => handler),
      })),
    ),
    pipelines: registry.allPipelines().map((pipeline) => ({
      name: pipeline.definition.name,
      extension: pipeline.extension.name,
      timeoutMs: pipeline.definition.timeoutMs,
      source: Object.hasOwn(pipelineConfig, pipeline.definition.name) ? 'COORDINATOR_PIPELINES' : 'defaultSteps',
      steps: pipeline.steps.map((step) => step.definition.name),
    })),
    queues: registry.queues(),
  };
}

function printWiring(io: CliIo, report: WiringReport): void {
  io.out('Extensions');
  for (const extension of report.extensions) {
    const core = extension.coreRange === undefined ? '' : ` (core ${extension.coreRange})`;
    io.out(`  ${extension.name} ${extension.version}${core}`);
    const rows = [
      ...extension.tasks.map((task) => [
        'task',
        task.name,
        `queue ${task.queue}`,
        `attempts ${task.attempts}`,
        `timeout ${duration(task.timeoutMs)}`,
      ]),
      ...extension.signals.map((signal) => ['signal', signal.name, signal.optional ? 'optional' : '']),
    ];
    if (rows.length === 0) io.out('    (no tasks or signals)');
    for (const line of table(rows, { indent: '    ' })) io.out(line);
  }

  io.out('');
  io.out('Signals -> handlers');
  const rows: string[][] = [];
  for (const signal of report.signals) {
    const name = signal.optional ? `${signal.name} (optional)` : signal.name;
    if (signal.handlers.length === 0) rows.push([name, '-', 'no handler', '-']);
    for (const handler of signal.handlers) {
      const state = [handler.enabled ? 'enabled' : 'disabled', ...handler.notes].join('; ');
      rows.push([`${signal.name} -> ${handler.task}`, handler.queue ?? '-', state, handler.id]);
    }
  }
  if (rows.length === 0) io.out('  (no signals)');
  else
    for (const line of table(rows, { headers: ['SIGNAL -> TASK', 'QUEUE', 'STATE', 'HANDLER ID'], indent: '  ' }))
      io.out(line);

  io.out('');
  io.out('Pipelines');
  if (report.pipelines.length === 0) io.out('  (no pipelines)');
  for (const pipeline of report.pipelines) {
    const source = pipeline.source === 'COORDINATOR_PIPELINES' ? 'steps from COORDINATOR_PIPELINES' : 'default steps';
    io.out(`  ${pipeline.name} (${pipeline.extension}; timeout ${duration(pipeline.timeoutMs)}; ${source})`);
    pipeline.steps.forEach((step, index) => io.out(`    ${index + 1}. ${step}`));
  }

  io.out('');
  io.out(`Queues: ${report.queues.join(', ')}`);
}
