import type { Extension } from '@coordinator/core';
import type { TestMode } from '../harness/start-test-coordinator.js';

/**
 * What a conformance run's `setup` hands back: settings for the hosts (the URLs of the
 * fakes it started, say) and how to stop what it started.
 *
 * @example
 * ```ts
 * const prepared: ConformanceSetupResult = { env: { ORDERS_OMS_URL: oms.url }, teardown: () => oms.close() };
 * ```
 */
export interface ConformanceSetupResult {
  /** Merged over `options.env` for this mode's hosts. */
  env?: NodeJS.ProcessEnv;
  teardown?: () => Promise<void>;
}

/**
 * Options of {@link describeExtensionConformance}.
 *
 * @example
 * ```ts
 * const options: ExtensionConformanceOptions = {
 *   partners: [paymentsStandIn],
 *   samples: { 'orders.cancel': { orderId: '6f1c7f0e-8a51-4a39-9a43-2b2f7f3c1d10' } },
 *   setup: async () => {
 *     const oms = new FakeOrderManagement();
 *     await oms.start();
 *     return { env: { ORDERS_OMS_URL: oms.url }, teardown: () => oms.close() };
 *   },
 * };
 * ```
 */
export interface ExtensionConformanceOptions {
  /**
   * Extensions loaded alongside, usually stand-ins: they define the signals the
   * extension handles and handle the signals it emits.
   */
  partners?: readonly Extension[];
  /** Settings of the extension (and partners), e.g. fake URLs known in advance. */
  env?: NodeJS.ProcessEnv;
  /**
   * A valid payload per task name; every task needs one. Each sample is read when its
   * task runs, after `setup`, so `setup` may fill in ids that only a downstream service
   * can hand out (a payment intent's id, say).
   */
  samples: Readonly<Record<string, object>>;
  /**
   * Runs once per mode before the hosts start, e.g. to start fakes and create the
   * downstream records the samples refer to. Its `teardown` runs after the hosts close.
   */
  setup?: () => Promise<ConformanceSetupResult>;
  /** The modes the hosts are started in; both by default. */
  modes?: readonly TestMode[];
  /**
   * How long a task (with its retries, follow-ups and signal handlers) may take before
   * the check gives up; 20 s by default.
   */
  taskTimeoutMs?: number;
}
