import { defineExtension, onSignal } from '@coordinator/core';
import { EmailClient } from './email-client.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsSettings } from './notifications.settings.js';
import { notificationSent } from './notification-sent.signal.js';
import { previewPipeline, previewSteps } from './preview.pipeline.js';
import { sendNotification } from './send-notification.task.js';

export default defineExtension({
  name: 'notifications',
  version: '1.0.0', // in a package: read it from package.json
  coreRange: '>=0.1.0 <1.0.0',
  settings: NotificationsSettings,
  controllers: [NotificationsController],
  workerProviders: [EmailClient],
  tasks: [sendNotification],
  signals: [notificationSent],
  // Another extension's signal is named by its string: extensions never import each other.
  handlers: [onSignal('notification.requested', sendNotification)],
  pipelines: [previewPipeline],
  pipelineSteps: previewSteps,
});
