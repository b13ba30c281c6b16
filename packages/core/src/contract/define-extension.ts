import type { Provider, Type } from '@nestjs/common';
import { validRange } from 'semver';
import { CONTRACT_VERSION, EXTENSION_BRAND } from './contract-version.js';
import type { PipelineDefinition } from './define-pipeline.js';
import type { PipelineStepDefinition } from './define-pipeline-step.js';
import type { SignalDefinition } from './define-signal.js';
import type { TaskDefinition } from './define-task.js';
import type { SignalHandlerBinding } from './on-signal.js';

/**
 * What an extension author writes; see {@link defineExtension}.
 *
 * @example
 * ```ts
 * const spec: ExtensionSpec = { name: 'orders', version: '1.0.0', tasks: [submitOrder] };
 * ```
 */
export interface ExtensionSpec {
  /** Lower-case; prefixes the extension's task names and names its default queue. */
  name: string;
  /** The extension package's version; stamped on every job it enqueues. */
  version: string;
  /**
   * The `@coordinator/core` versions the extension works with, as a semver range
   * (`^1.2.0`). Hosts running another core refuse to load it, naming both versions,
   * unless the deployment overrides that for this extension.
   */
  coreRange?: string;
  /** HTTP controllers, mounted by the API host only. */
  controllers?: readonly Type[];
  /** Providers both hosts create (controllers and handlers may inject them). */
  providers?: readonly Provider[];
  /** Providers only the worker host creates: downstream clients and the like. */
  workerProviders?: readonly Provider[];
  tasks?: readonly TaskDefinition[];
  signals?: readonly SignalDefinition[];
  handlers?: readonly SignalHandlerBinding[];
  /** Request-time compositions this extension defines; named `<extension>.<pipeline>`. */
  pipelines?: readonly PipelineDefinition[];
  /**
   * Steps this extension contributes, to its own pipelines or another's; named
   * `<extension>.<step>`. Both hosts create their classes, like `providers`.
   */
  pipelineSteps?: readonly PipelineStepDefinition[];
  /**
   * A class-validator class whose properties are environment variable names
   * (prefixed with the extension's name, like `ORDERS_OMS_URL`). Both hosts validate
   * it at startup, stop with a message naming a bad variable, and provide the
   * validated instance for injection under the class itself.
   */
  settings?: Type<object>;
}

/**
 * An extension as the hosts see it: a plain, frozen object, branded and stamped with
 * the contract version it was built against.
 *
 * @example
 * ```ts
 * import orders from '@coordinator/extension-orders';
 * orders.tasks.map((t) => t.name);
 * ```
 */
export interface Extension {
  readonly [EXTENSION_BRAND]: true;
  readonly contractVersion: number;
  readonly name: string;
  readonly version: string;
  readonly coreRange: string | undefined;
  readonly controllers: readonly Type[];
  readonly providers: readonly Provider[];
  readonly workerProviders: readonly Provider[];
  readonly tasks: readonly TaskDefinition[];
  readonly signals: readonly SignalDefinition[];
  readonly handlers: readonly SignalHandlerBinding[];
  readonly pipelines: readonly PipelineDefinition[];
  readonly pipelineSteps: readonly PipelineStepDefinition[];
  readonly settings: Type<object> | undefined;
}

const EXTENSION_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Declares an extension: the endpoints, tasks, signals and handlers one team ships
 * together. Make it the default export of the package's entry point; both hosts load
 * it from `COORDINATOR_EXTENSIONS`.
 *
 * @example
 * ```ts
 * export default defineExtension({
 *   name: 'orders',
 *   version: '1.0.0',
 *   controllers: [OrdersController],
 *   workerProviders: [OmsClient],
 *   tasks: [submitOrder],
 *   signals: [orderPlaced],
 *   handlers: [onSignal('payment.captured', fulfilOrder)],
 *   pipelines: [quotePipeline],
 *   pipelineSteps: [priceLines],
 * });
 * ```
 */
export function defineExtension(spec: ExtensionSpec): Extension {
  if (!EXTENSION_NAME.test(spec.name)) {
    throw new TypeError(`extension name "${spec.name}" must be lower-case letters, digits and dashes`);
  }
  if (typeof spec.version !== 'string' || spec.version === '') {
    throw new TypeError(`extension ${spec.name}: version is required (use the package.json version)`);
  }
  if (spec.coreRange !== undefined && validRange(spec.coreRange) === null) {
    throw new TypeError(`extension ${spec.name}: coreRange "${spec.coreRange}" is not a semver range`);
  }
  return Object.freeze({
    [EXTENSION_BRAND]: true as const,
    contractVersion: CONTRACT_VERSION,
    name: spec.name,
    version: spec.version,
    coreRange: spec.coreRange,
    controllers: Object.freeze([...(spec.controllers ?? [])]),
    providers: Object.freeze([...(spec.providers ?? [])]),
    workerProviders: Object.freeze([...(spec.workerProviders ?? [])]),
    tasks: Object.freeze([...(spec.tasks ?? [])]),
    signals: Object.freeze([...(spec.signals ?? [])]),
    handlers: Object.freeze([...(spec.handlers ?? [])]),
    pipelines: Object.freeze([...(spec.pipelines ?? [])]),
    pipelineSteps: Object.freeze([...(spec.pipelineSteps ?? [])]),
    settings: spec.settings,
  });
}

/**
 * True when `value` carries the extension brand (from any copy of core). The contract
 * version is checked separately so the error can name both versions.
 *
 * @example
 * ```ts
 * if (!isExtension(mod.default)) throw new Error('not an extension');
 * ```
 */
export function isExtension(value: unknown): value is Extension {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[EXTENSION_BRAND] === true;
}
