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
export { eventually, type EventuallyOptions } from './harness/eventually.js';
export { TaskJournal, type JournalEntry } from './harness/task-journal.js';
export { TestHttpClient, type TestResponse } from './harness/test-http-client.js';
export {
  freePort,
  startHostProcess,
  type HostKind,
  type HostProcess,
  type HostProcessOptions,
} from './processes/host-process.js';
export {
  FakeOrderManagement,
  type FakeOrderManagementOptions,
  type OmsOrder,
  type OmsTransition,
} from './fakes/fake-order-management.js';
export { FakeHttpServer, type RecordedCall } from './fakes/fake-http-server.js';
export { FaultInjector, type FaultPlan } from './fakes/fault-injector.js';
export {
  DEFAULT_FAKE_STRIPE_API_KEY,
  DEFAULT_FAKE_WEBHOOK_SECRET,
  FakePaymentProvider,
  type CallFilter,
  type FakePaymentProviderOptions,
} from './fakes/fake-payment-provider.js';
export type {
  FakeCharge,
  FakePaymentIntent,
  FakePaymentIntentStatus,
  FakeRefund,
  FakeStripeEvent,
  FakeStripeEventType,
  StripeMetadata,
} from './fakes/stripe-objects.js';
export type { StripeErrorObject, StripeErrorType } from './fakes/stripe-errors.js';
export { TEST_PAYMENT_METHODS, type TestCardOutcome } from './fakes/test-payment-methods.js';
export {
  WebhookSender,
  type WebhookDelivery,
  type WebhookDeliveryStyle,
  type WebhookEvent,
  type WebhookRetryOptions,
  type WebhookSenderOptions,
} from './fakes/webhook-sender.js';
export { signWebhookPayload } from './fakes/webhook-signature.js';
export { FormBodyError, parseFormBody, type FormRecord, type FormValue } from './fakes/form-body.js';
export type { FallbackReason } from './fakes/fake-http-server.js';
export { describeExtensionConformance } from './conformance/describe-extension-conformance.js';
export type { ConformanceSetupResult, ExtensionConformanceOptions } from './conformance/conformance-options.js';
export { checkContract, type ContractCheckOptions } from './conformance/check-contract.js';
export {
  checkPayloadMetadata,
  checkRejectsEmpty,
  checkSampleValidates,
  requiredFieldsOf,
} from './conformance/check-payload-dto.js';
export { checkPayloadSecrets, sensitiveNameReason } from './conformance/check-payload-secrets.js';
export { checkSamples } from './conformance/check-samples.js';
export { checkSignalWiring } from './conformance/check-signal-wiring.js';
export { checkControllerRoutes, listControllerRoutes, type ControllerRoute } from './conformance/controller-routes.js';
export { checkRouteAccess } from './conformance/check-route-access.js';
export { checkMountedRoutes, fastifyRouteLookup, type RouteLookup } from './conformance/check-mounted-routes.js';
export { checkTaskOutcome } from './conformance/check-task-outcome.js';
