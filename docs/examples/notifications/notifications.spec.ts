import { defineExtension, defineSignal, PipelineRunner } from '@coordinator/core';
import { startTestCoordinator, type TestCoordinator, type TestMode } from '@coordinator/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeEmailProvider } from './fake-email-provider.js';
import notifications from './index.js';
import { previewPipeline } from './preview.pipeline.js';
import { SendNotificationPayload } from './send-notification.payload.js';

// Stands in for the extension that emits `notification.requested`.
const notificationRequested = defineSignal({ name: 'notification.requested', payload: SendNotificationPayload });
const shop = defineExtension({ name: 'shop', version: '0.0.0', signals: [notificationRequested] });

describe.each<TestMode>(['inline', 'redis'])('notifications (%s mode)', (mode) => {
  let email: FakeEmailProvider;
  let coordinator: TestCoordinator;

  beforeAll(async () => {
    email = new FakeEmailProvider();
    await email.start();
  });
  afterAll(() => email.close());
  afterEach(() => coordinator.close());

  const start = async () =>
    (coordinator = await startTestCoordinator({
      extensions: [notifications, shop],
      mode,
      env: { NOTIFICATIONS_EMAIL_URL: email.url },
    }));

  it('sends through the endpoint and announces notification.sent', async () => {
    await start();
    const res = await coordinator.http.post<{ taskId: string }>('/notifications', {
      to: 'a@example.com',
      subject: 'Hi',
    });
    expect(res.status).toBe(202);
    await coordinator.waitForIdle();
    expect(await coordinator.status(res.body.taskId)).toMatchObject({ state: 'completed' });
    expect(coordinator.journal.signals('notification.sent')).toHaveLength(1);
  });

  it('retries while the provider fails, sending once', async () => {
    await start();
    email.faults.set({ failNext: 1 });
    await coordinator.dispatcher.emit(notificationRequested, { to: 'b@example.com', subject: 'Again' });
    await coordinator.waitForIdle({ timeoutMs: 15_000 });
    expect(coordinator.journal.completed('notifications.send').map((e) => e.attempt)).toEqual([2]);
    expect([...email.sent.values()].filter((m) => m.to === 'b@example.com')).toHaveLength(1);
  });

  it('previews a subject through the pipeline', async () => {
    await start();
    const runner = coordinator.api.get(PipelineRunner);
    expect(await runner.run(previewPipeline, { subject: ' Hello ' })).toMatchObject({ result: { subject: 'Hello' } });
    expect((await runner.run(previewPipeline, { subject: 'x'.repeat(80) })).haltedBy).toBe(
      'notifications.check-length',
    );
  });
});
