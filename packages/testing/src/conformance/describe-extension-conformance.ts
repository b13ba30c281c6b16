import { isExtension, type Extension, type TaskDefinition, type TaskStatus } from '@coordinator/core';
import { startTestCoordinator, type TestCoordinator, type TestMode } from '../harness/start-test-coordinator.js';
import { checkContract } from './check-contract.js';
import { checkMountedRoutes, fastifyRouteLookup } from './check-mounted-routes.js';
import {
  checkPayloadMetadata,
  checkRejectsEmpty,
  checkSampleValidates,
  requiredFieldsOf,
} from './check-payload-dto.js';
import { checkPayloadSecrets } from './check-payload-secrets.js';
import { checkSamples } from './check-samples.js';
import { checkSignalWiring } from './check-signal-wiring.js';
import { checkTaskOutcome } from './check-task-outcome.js';
import type { ConformanceSetupResult, ExtensionConformanceOptions } from './conformance-options.js';
import { checkControllerRoutes, listControllerRoutes } from './controller-routes.js';
import { checkRouteAccess } from './check-route-access.js';
import { jestGlobals } from './jest-globals.js';

const DEFAULT_MODES: readonly TestMode[] = ['inline', 'redis'];
const DEFAULT_TASK_TIMEOUT_MS = 20_000;
/** Starting both hosts against Redis, or a slow `setup`, takes longer than Jest's default 5 s. */
const HOOK_TIMEOUT_MS = 60_000;

/**
 * Registers a Jest suite, `<name> conformance`, that checks an extension against the
 * coordinator's contract: brand, contract version, namespaced and unique names,
 * `coreRange`; class-validator DTOs with a valid sample per task and no property named
 * like card data or a secret (see {@link checkPayloadSecrets}); handlers wired to
 * signals that the extension or its partners define; routes declared by controllers;
 * and, in each mode, that both hosts start with it, the API host mounts every route,
 * every task runs from its sample without its payload or handler being refused, and
 * both hosts close. Call it at the top level of a spec file.
 *
 * @example
 * ```ts
 * import { describeExtensionConformance, FakeOrderManagement } from '@coordinator/testing';
 * import orders from './index.js';
 * import { paymentsStandIn } from './testing/payments-stand-in.js';
 *
 * describeExtensionConformance(orders, {
 *   partners: [paymentsStandIn],
 *   samples: { 'orders.submit': { orderId, customerId: 'c-1', currency: 'EUR', lines: [{ sku: 'MUG', quantity: 1, unitPrice: 900 }] } },
 *   setup: async () => {
 *     const oms = new FakeOrderManagement();
 *     await oms.start();
 *     return { env: { ORDERS_OMS_URL: oms.url }, teardown: () => oms.close() };
 *   },
 * });
 * ```
 */
export function describeExtensionConformance(extension: Extension, options: ExtensionConformanceOptions): void {
  const { afterAll, beforeAll, describe, expect, it } = jestGlobals();
  const partners = options.partners ?? [];
  const samples = options.samples;
  const taskTimeoutMs = options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
  // An export that is not an extension still gets a suite: its contract check says why.
  const branded = isExtension(extension);
  const tasks: readonly TaskDefinition[] = branded ? extension.tasks : [];
  const controllers = branded ? extension.controllers : [];
  const hasSample = (task: TaskDefinition) => Object.hasOwn(samples, task.name);
  const sampleOf = (task: TaskDefinition) => samples[task.name]!;

  describe(`${branded ? extension.name : 'extension'} conformance`, () => {
    it('is a branded extension of this contract, with namespaced unique names and a coreRange that includes this core', () => {
      expect(checkContract(extension)).toEqual([]);
    });

    for (const task of tasks) {
      it(`${task.name}: its payload is a class-validator DTO`, () => {
        expect(checkPayloadMetadata(task)).toEqual([]);
      });
      if (hasSample(task)) {
        it(`${task.name}: its sample validates`, async () => {
          expect(await checkSampleValidates(task, sampleOf(task))).toEqual([]);
        });
      } else {
        it.skip(`${task.name}: its sample validates (skipped: no sample)`, () => undefined);
      }
      if (typeof task.payload === 'function' && requiredFieldsOf(task.payload).length === 0) {
        it.skip(`${task.name}: an empty payload is rejected (skipped: ${task.payload.name} has no required fields)`, () =>
          undefined);
      } else {
        it(`${task.name}: an empty payload is rejected`, async () => {
          expect(await checkRejectsEmpty(task)).toEqual([]);
        });
      }
    }

    it('no task or signal payload has a property named like card data or a secret', () => {
      expect(checkPayloadSecrets(extension)).toEqual([]);
    });

    it('every task has a sample', () => {
      expect(checkSamples(extension, samples)).toEqual([]);
    });

    it('every handler listens to a signal the extension or its partners define, and the registry loads', () => {
      expect(checkSignalWiring(extension, partners)).toEqual([]);
    });

    it('every HTTP route is declared by a controller', () => {
      expect(checkControllerRoutes(controllers)).toEqual([]);
    });

    it('every route declares its scopes, or why it is public', () => {
      expect(checkRouteAccess(controllers)).toEqual([]);
    });

    for (const mode of options.modes ?? DEFAULT_MODES) {
      describe(`in ${mode} mode`, () => {
        let coordinator: TestCoordinator | undefined;
        let startFailure: Error | undefined;
        let prepared: ConformanceSetupResult = {};

        beforeAll(async () => {
          try {
            prepared = (await options.setup?.()) ?? {};
          } catch (error) {
            startFailure = new Error(`setup failed: ${messageOf(error)}`, { cause: error });
            return;
          }
          try {
            coordinator = await startTestCoordinator({
              extensions: [extension, ...partners],
              mode,
              env: { ...options.env, ...prepared.env },
            });
          } catch (error) {
            startFailure = new Error(`the hosts did not start: ${messageOf(error)}`, { cause: error });
          }
        }, HOOK_TIMEOUT_MS);

        afterAll(async () => {
          // Closing is checked by its own test; this only makes sure nothing is left running.
          await coordinator?.close().catch(() => undefined);
          await prepared.teardown?.();
        }, HOOK_TIMEOUT_MS);

        const started = (): TestCoordinator => {
          if (!coordinator) throw startFailure ?? new Error('the hosts did not start');
          return coordinator;
        };

        it('both hosts start with the extension and its partners', () => {
          started();
        });

        it('the API host mounts every route of its controllers', () => {
          const app = started().api;
          const routes = controllers.flatMap((controller) => listControllerRoutes(controller));
          expect(checkMountedRoutes(routes, fastifyRouteLookup(app))).toEqual([]);
        });

        for (const task of tasks) {
          if (!hasSample(task)) {
            it.skip(`${task.name} runs from its sample (skipped: no sample)`, () => undefined);
            continue;
          }
          it(
            `${task.name} runs from its sample`,
            async () => {
              expect(await runSample(started(), task, sampleOf(task), taskTimeoutMs)).toEqual([]);
            },
            taskTimeoutMs + 10_000,
          );
        }

        it(
          'both hosts close',
          async () => {
            await started().close();
          },
          HOOK_TIMEOUT_MS,
        );
      });
    }
  });
}

/** Dispatches the sample, waits for everything it started, and checks how the task ended. */
async function runSample(
  coordinator: TestCoordinator,
  task: TaskDefinition,
  sample: object,
  timeoutMs: number,
): Promise<string[]> {
  let taskId: string;
  try {
    ({ taskId } = await coordinator.dispatcher.dispatch(task, sample));
  } catch (error) {
    return [`dispatching the sample of "${task.name}" failed: ${messageOf(error)}`];
  }
  // A task still retrying at the deadline is reported by checkTaskOutcome with its last failure.
  await coordinator.waitForIdle({ timeoutMs }).catch(() => undefined);
  const status: TaskStatus | undefined = await coordinator.status(taskId);
  const lastFailure = coordinator.journal
    .failed(task.name)
    .filter((entry) => entry.taskId === taskId)
    .at(-1)?.reason;
  const problems = checkTaskOutcome(task.name, status, lastFailure);
  if (problems.length === 0 && status?.state === 'failed') {
    // Allowed (a downstream may be missing in the test), but worth seeing.
    console.warn(`${task.name} failed in ${coordinator.mode} mode, which conformance allows: ${status.failureReason}`);
  }
  return problems;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
