/**
 * Version of the extension contract that this build of `@coordinator/core` speaks.
 * Hosts refuse an extension built against another contract version, because the
 * object shapes below are what they read.
 *
 * @example
 * ```ts
 * if (extension.contractVersion !== CONTRACT_VERSION) throw new Error('rebuild the extension');
 * ```
 */
export const CONTRACT_VERSION = 1 as const;

/**
 * Brands are registered symbols so that two copies of `@coordinator/core` (one in the
 * host, one bundled with an extension) still recognise each other's objects.
 */
export const EXTENSION_BRAND: unique symbol = Symbol.for('@coordinator/core.extension') as never;
export const TASK_BRAND: unique symbol = Symbol.for('@coordinator/core.task') as never;
export const SIGNAL_BRAND: unique symbol = Symbol.for('@coordinator/core.signal') as never;
export const PIPELINE_BRAND: unique symbol = Symbol.for('@coordinator/core.pipeline') as never;
export const PIPELINE_STEP_BRAND: unique symbol = Symbol.for('@coordinator/core.pipeline-step') as never;
export const DOWNSTREAM_BRAND: unique symbol = Symbol.for('@coordinator/core.downstream') as never;
