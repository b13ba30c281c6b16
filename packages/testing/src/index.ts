/**
 * Test harness for Commerce Coordinator extensions: both hosts in-process in inline or
 * Redis mode, a task journal, and fake downstream services with fault injection.
 *
 * @packageDocumentation
 */
export {
  startTestCoordinator,
  type TestCoordinator,
  type TestCoordinatorOptions,
  type TestMode,
} from './harness/start-test-coordinator.js';
export { TaskJournal, type JournalEntry } from './harness/task-journal.js';
export { TestHttpClient, type TestResponse } from './harness/test-http-client.js';
export {
  freePort,
  startHostProcess,
  type HostKind,
  type HostProcess,
  type HostProcessOptions,
} from './processes/host-process.js';
export { FakeOrderManagement, type FakeOrderManagementOptions, type OmsOrder } from './fakes/fake-order-management.js';
export { FakeHttpServer, type RecordedCall } from './fakes/fake-http-server.js';
export { FaultInjector, type FaultPlan } from './fakes/fault-injector.js';
