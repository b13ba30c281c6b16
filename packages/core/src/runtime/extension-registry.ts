import { satisfies } from 'semver';
import { CONTRACT_VERSION } from '../contract/contract-version.js';
import { CORE_VERSION } from '../contract/core-version.js';
import type { DownstreamDefinition } from '../contract/define-downstream.js';
import type { Extension } from '../contract/define-extension.js';
import type { PipelineDefinition } from '../contract/define-pipeline.js';
import type { PipelineStepDefinition } from '../contract/define-pipeline-step.js';
import type { SignalDefinition } from '../contract/define-signal.js';
import type { TaskDefinition } from '../contract/define-task.js';
import type { PipelineConfig } from './pipeline-config.js';
import type { WiringOverrides } from './wiring-overrides.js';

/** A loaded task with where it lives. */
export interface RegisteredTask {
  readonly definition: TaskDefinition;
  readonly extension: Extension;
  /** The queue dispatches of this task go to: the extension's name. */
  readonly queue: string;
}

/**
 * A downstream service some loaded task calls, with the extension that defines it (the
 * first whose tasks list it).
 *
 * @example
 * ```ts
 * registry.allDownstreams().map((d) => d.definition.name); // ['order-management', 'payment-provider']
 * ```
 */
export interface RegisteredDownstream {
  readonly definition: DownstreamDefinition;
  /** The first loaded extension whose tasks list it. */
  readonly extension: Extension;
}

/** An active signal subscription after deployment overrides. */
export interface RegisteredHandler {
  readonly id: string;
  readonly signal: string;
  readonly task: RegisteredTask;
  /** The queue this handler's jobs go to (the task's queue unless re-routed). */
  readonly queue: string;
}

/** A loaded pipeline step with the extension that ships it. */
export interface RegisteredPipelineStep {
  readonly definition: PipelineStepDefinition;
  readonly extension: Extension;
}

/** A loaded pipeline and the steps it runs, in order, after deployment config. */
export interface RegisteredPipeline {
  readonly definition: PipelineDefinition;
  readonly extension: Extension;
  /** `COORDINATOR_PIPELINES`' list for the pipeline when it has one, else its `defaultSteps`. */
  readonly steps: readonly RegisteredPipelineStep[];
}

/** The hosts refuse to start; `problems` says every reason, each naming its culprit. */
export class ExtensionLoadError extends Error {
  override readonly name = 'ExtensionLoadError';
  constructor(readonly problems: readonly string[]) {
    super(`cannot load extensions:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * Every task, signal and handler of the loaded extensions, checked for consistency.
 * Both hosts build the same registry from the same configuration, so what the API
 * enqueues is what the workers expect.
 */
/**
 * Refuses extensions made for another core, naming both versions, unless the deployment
 * lists them in `COORDINATOR_ALLOW_INCOMPATIBLE` (then it warns, loudly, once each).
 */
function checkCompatibility(extensions: readonly Extension[], options: CompatibilityOptions, problems: string[]): void {
  const coreVersion = options.coreVersion ?? CORE_VERSION;
  const allowed = new Set(options.allowIncompatible ?? []);
  for (const extension of extensions) {
    const range = extension.coreRange;
    if (range === undefined || satisfies(coreVersion, range, { includePrerelease: true })) continue;
    const mismatch = `extension "${extension.name}" ${extension.version} supports @coordinator/core ${range}; this host runs ${coreVersion}`;
    if (allowed.has(extension.name)) {
      options.warn?.(`${mismatch}: loading it anyway because COORDINATOR_ALLOW_INCOMPATIBLE names it`);
    } else {
      problems.push(`${mismatch} (set COORDINATOR_ALLOW_INCOMPATIBLE=${extension.name} to load it anyway)`);
    }
  }
  for (const name of allowed) {
    if (!extensions.some((e) => e.name === name)) {
      problems.push(`COORDINATOR_ALLOW_INCOMPATIBLE names "${name}", which is not a loaded extension`);
    }
  }
}

/**
 * How the registry treats extensions declaring a `coreRange` this core is not in.
 *
 * @example
 * ```ts
 * new ExtensionRegistry(extensions, {}, {}, { allowIncompatible: ['loyalty'], warn: (m) => logger.warn(m) });
 * ```
 */
export interface CompatibilityOptions {
  /** Extension names to load anyway (`COORDINATOR_ALLOW_INCOMPATIBLE`); each is warned about. */
  allowIncompatible?: readonly string[];
  warn?: (message: string) => void;
  /** The core version to check against; this package's own by default. */
  coreVersion?: string;
}

export class ExtensionRegistry {
  readonly extensions: readonly Extension[];
  private readonly tasks = new Map<string, RegisteredTask>();
  private readonly signals = new Map<string, { definition: SignalDefinition; extension: Extension }>();
  private readonly subscriptions = new Map<string, RegisteredHandler[]>();
  private readonly queueNames = new Set<string>();
  private readonly pipelines = new Map<string, RegisteredPipeline>();
  private readonly downstreams = new Map<string, RegisteredDownstream>();

  constructor(
    extensions: readonly Extension[],
    overrides: WiringOverrides = {},
    pipelineConfig: PipelineConfig = {},
    compatibility: CompatibilityOptions = {},
  ) {
    this.extensions = extensions;
    const problems: string[] = [];
    checkCompatibility(extensions, compatibility, problems);
    this.registerExtensions(extensions, problems);
    this.registerHandlers(extensions, overrides, problems);
    this.registerPipelines(extensions, pipelineConfig, problems);
    if (problems.length) throw new ExtensionLoadError(problems);
  }

  /** The loaded task of that name; throws when the task belongs to no loaded extension. */
  task(name: string): RegisteredTask {
    const task = this.tasks.get(name);
    if (!task) throw new Error(`task "${name}" is not part of any loaded extension`);
    return task;
  }

  findTask(name: string): RegisteredTask | undefined {
    return this.tasks.get(name);
  }

  allTasks(): RegisteredTask[] {
    return [...this.tasks.values()];
  }

  /** Every downstream service a loaded task declares, once each. */
  allDownstreams(): RegisteredDownstream[] {
    return [...this.downstreams.values()];
  }

  /** The downstream of that name some loaded task declares, if any. */
  findDownstream(name: string): RegisteredDownstream | undefined {
    return this.downstreams.get(name);
  }

  signal(name: string): { definition: SignalDefinition; extension: Extension } {
    const signal = this.signals.get(name);
    if (!signal) throw new Error(`signal "${name}" is not part of any loaded extension`);
    return signal;
  }

  /** Handlers to enqueue when `signal` is emitted (after deployment overrides). */
  handlersOf(signal: string): readonly RegisteredHandler[] {
    return this.subscriptions.get(signal) ?? [];
  }

  allHandlers(): RegisteredHandler[] {
    return [...this.subscriptions.values()].flat();
  }

  /** Queues a task's jobs may be in: its extension's queue, then any re-routed handler queue. */
  queuesOfTask(name: string): string[] {
    const task = this.tasks.get(name);
    if (!task) return [];
    const queues = new Set([task.queue]);
    for (const handler of this.allHandlers()) if (handler.task === task) queues.add(handler.queue);
    return [...queues];
  }

  /** Every queue a loaded task or handler may be enqueued to. */
  queues(): string[] {
    return [...this.queueNames];
  }

  /** The loaded pipeline of that name with its resolved steps; throws when no loaded extension defines it. */
  pipeline(name: string): RegisteredPipeline {
    const pipeline = this.pipelines.get(name);
    if (!pipeline) throw new Error(`pipeline "${name}" is not part of any loaded extension`);
    return pipeline;
  }

  findPipeline(name: string): RegisteredPipeline | undefined {
    return this.pipelines.get(name);
  }

  allPipelines(): RegisteredPipeline[] {
    return [...this.pipelines.values()];
  }

  private registerExtensions(extensions: readonly Extension[], problems: string[]): void {
    const names = new Set<string>();
    for (const extension of extensions) {
      if (extension.contractVersion !== CONTRACT_VERSION) {
        problems.push(
          `extension "${extension.name}" was built for extension contract ${extension.contractVersion}; this host speaks contract ${CONTRACT_VERSION}`,
        );
        continue;
      }
      if (names.has(extension.name)) problems.push(`extension "${extension.name}" is loaded twice`);
      names.add(extension.name);
      this.queueNames.add(extension.name);
      for (const definition of extension.tasks) {
        const existing = this.tasks.get(definition.name);
        if (existing) {
          problems.push(
            `task "${definition.name}" is defined by both "${existing.extension.name}" and "${extension.name}"`,
          );
          continue;
        }
        if (!definition.name.startsWith(`${extension.name}.`)) {
          problems.push(
            `task "${definition.name}" of extension "${extension.name}" must be named "${extension.name}.<task>"`,
          );
        }
        this.tasks.set(definition.name, { definition, extension, queue: extension.name });
        this.registerDownstreams(definition, extension, problems);
      }
      for (const definition of extension.signals) {
        const existing = this.signals.get(definition.name);
        if (existing) {
          problems.push(
            `signal "${definition.name}" is defined by both "${existing.extension.name}" and "${extension.name}"`,
          );
          continue;
        }
        this.signals.set(definition.name, { definition, extension });
      }
    }
  }

  /**
   * Breakers and bulkheads are kept per downstream name, so one name must mean one
   * definition: two would share a breaker while disagreeing on its settings.
   */
  private registerDownstreams(task: TaskDefinition, extension: Extension, problems: string[]): void {
    // A task defined by an older core has no downstreams.
    for (const definition of task.downstreams ?? []) {
      const existing = this.downstreams.get(definition.name);
      if (!existing) {
        this.downstreams.set(definition.name, { definition, extension });
        continue;
      }
      if (existing.definition === definition) continue;
      problems.push(
        existing.extension === extension
          ? `downstream "${definition.name}" is defined twice by extension "${extension.name}" (task "${task.name}" lists the second definition); define it once and share it`
          : `downstream "${definition.name}" is defined by both "${existing.extension.name}" and "${extension.name}"; each extension must give its downstreams their own names`,
      );
    }
  }

  private registerHandlers(extensions: readonly Extension[], overrides: WiringOverrides, problems: string[]): void {
    const known = new Set<string>();
    for (const extension of extensions) {
      for (const binding of extension.handlers) {
        if (known.has(binding.id)) {
          problems.push(`handler "${binding.id}" is declared twice`);
          continue;
        }
        known.add(binding.id);
        const task = this.tasks.get(binding.task.name);
        if (!task || task.extension !== extension) {
          problems.push(
            `handler "${binding.id}" of extension "${extension.name}" runs task "${binding.task.name}", which is not in that extension's tasks`,
          );
          continue;
        }
        if (!this.signals.has(binding.signal)) {
          problems.push(
            `handler "${binding.id}" of extension "${extension.name}" listens to signal "${binding.signal}", which no loaded extension defines`,
          );
          continue;
        }
        const override = overrides[binding.id] ?? {};
        if (!(override.enabled ?? binding.enabled)) continue;
        const queue = override.queue ?? task.queue;
        this.queueNames.add(queue);
        const list = this.subscriptions.get(binding.signal) ?? [];
        list.push({ id: binding.id, signal: binding.signal, task, queue });
        this.subscriptions.set(binding.signal, list);
      }
    }
    for (const id of Object.keys(overrides)) {
      if (!known.has(id)) problems.push(`COORDINATOR_WIRING names handler "${id}", which no loaded extension declares`);
    }
    for (const [name, { definition, extension }] of this.signals) {
      if (!definition.optional && !this.subscriptions.get(name)?.length) {
        problems.push(
          `signal "${name}" of extension "${extension.name}" has no handler; load an extension that handles it or mark it optional`,
        );
      }
    }
  }

  private registerPipelines(extensions: readonly Extension[], config: PipelineConfig, problems: string[]): void {
    const loaded = extensions.filter((extension) => extension.contractVersion === CONTRACT_VERSION);
    const defined = new Map<string, { definition: PipelineDefinition; extension: Extension }>();
    for (const extension of loaded) {
      for (const definition of extension.pipelines ?? []) {
        const existing = defined.get(definition.name);
        if (existing) {
          problems.push(
            existing.extension === extension
              ? `pipeline "${definition.name}" is listed twice by extension "${extension.name}"`
              : `pipeline "${definition.name}" is defined by both "${existing.extension.name}" and "${extension.name}"`,
          );
          continue;
        }
        if (!definition.name.startsWith(`${extension.name}.`)) {
          problems.push(
            `pipeline "${definition.name}" of extension "${extension.name}" must be named "${extension.name}.<pipeline>"`,
          );
        }
        defined.set(definition.name, { definition, extension });
      }
    }

    const steps = new Map<string, RegisteredPipelineStep>();
    for (const extension of loaded) {
      for (const definition of extension.pipelineSteps ?? []) {
        const existing = steps.get(definition.name);
        if (existing) {
          problems.push(
            existing.extension === extension
              ? `pipeline step "${definition.name}" is listed twice by extension "${extension.name}"`
              : `pipeline step "${definition.name}" is defined by both "${existing.extension.name}" and "${extension.name}"`,
          );
          continue;
        }
        if (!definition.name.startsWith(`${extension.name}.`)) {
          problems.push(
            `pipeline step "${definition.name}" of extension "${extension.name}" must be named "${extension.name}.<step>"`,
          );
        }
        if (!defined.has(definition.pipeline.name)) {
          problems.push(
            `pipeline step "${definition.name}" of extension "${extension.name}" belongs to pipeline "${definition.pipeline.name}", which no loaded extension defines`,
          );
        }
        steps.set(definition.name, { definition, extension });
      }
    }

    for (const name of Object.keys(config)) {
      if (!defined.has(name)) {
        problems.push(`COORDINATOR_PIPELINES names pipeline "${name}", which no loaded extension defines`);
      }
    }
    for (const [name, { definition, extension }] of defined) {
      const configured = Object.hasOwn(config, name) ? config[name] : undefined;
      const list = configured ?? definition.defaultSteps;
      // Say where the list came from, so the operator knows whether to fix config or code.
      const source = configured
        ? `COORDINATOR_PIPELINES["${name}"] names`
        : `pipeline "${name}" of extension "${extension.name}" has default`;
      if (!list.length) {
        problems.push(
          configured
            ? `COORDINATOR_PIPELINES["${name}"] is empty; a pipeline needs at least one step`
            : `pipeline "${name}" of extension "${extension.name}" has no steps; give it defaultSteps or a list in COORDINATOR_PIPELINES`,
        );
        continue;
      }
      const resolved: RegisteredPipelineStep[] = [];
      for (const [index, stepName] of list.entries()) {
        const step = steps.get(stepName);
        if (list.indexOf(stepName) !== index) problems.push(`${source} step "${stepName}" twice`);
        else if (!step) problems.push(`${source} step "${stepName}", which no loaded extension defines`);
        else if (step.definition.pipeline.name !== name) {
          problems.push(`${source} step "${stepName}", which belongs to pipeline "${step.definition.pipeline.name}"`);
        } else resolved.push(step);
      }
      this.pipelines.set(name, Object.freeze({ definition, extension, steps: Object.freeze(resolved) }));
    }
  }
}
