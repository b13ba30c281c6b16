/*
 * The queue dashboard as an operator sees it: a real Chromium (Debian's, driven by
 * playwright-core) opens /admin/queues of an API host on BullMQ, finds the queues of
 * both extensions, and reads the reason of a task that failed permanently. The
 * screenshot lands in test-artifacts/dashboard.png.
 */
import type { TaskStatus } from '@coordinator/core';
import orders from '@coordinator/extension-orders';
import payments from '@coordinator/extension-payments';
import { FakeOrderManagement, startTestCoordinator, type TestCoordinator } from '@coordinator/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { eventually, repoRoot } from './support/deployment.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = join(repoRoot, 'test-artifacts', 'dashboard.png');
const order = { customerId: 'c-42', currency: 'EUR', lines: [{ sku: 'TSHIRT-M', quantity: 2, unitPrice: 1999 }] };

// CI (.ci/run, as root) installs Debian's chromium, so there it must run; elsewhere a
// machine without it skips the test and says why.
const hasChromium = existsSync(CHROMIUM);
const itWithChromium =
  hasChromium || process.env.CI
    ? it
    : (name: string) =>
        it.skip(`${name} (skipped: ${CHROMIUM} is missing; as root: apt-get install -y chromium)`, () => {});

describe('queue dashboard in a browser', () => {
  let oms: FakeOrderManagement;
  let coordinator: TestCoordinator;
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  let failed: TaskStatus;

  beforeAll(async () => {
    if (!hasChromium && !process.env.CI) return;
    oms = new FakeOrderManagement();
    await oms.start();
    coordinator = await startTestCoordinator({
      extensions: [orders, payments],
      mode: 'redis',
      env: {
        ORDERS_OMS_URL: oms.url,
        // Never called: the order fails before a payment is made.
        PAYMENTS_PROVIDER_URL: 'http://127.0.0.1:9',
        PAYMENTS_PROVIDER_API_KEY: 'sk_test_dashboard',
        PAYMENTS_STRIPE_WEBHOOK_SECRET: 'whsec_dashboard',
      },
    });
    // Order management refuses the order: a 4xx is a PermanentError, so the task fails
    // at once and stays in the orders queue's failed set with its reason.
    oms.faults.set({ failNext: 1, failStatus: 400 });
    const res = await coordinator.http.post<{ taskId: string }>('/orders', order, {
      'idempotency-key': 'dashboard-e2e-0001',
    });
    expect(res.status).toBe(202);
    failed = await eventually(
      async () => (await coordinator.status(res.body.taskId))!,
      (s) => s?.state === 'failed',
      { what: 'orders.submit failed', timeoutMs: 10_000 },
    );
  }, 30_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (profile) await rm(profile, { recursive: true, force: true });
    await coordinator?.close();
    await oms?.close();
  }, 30_000);

  async function browse(): Promise<Page> {
    if (!hasChromium) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium as root`);
    profile = await mkdtemp(join(tmpdir(), 'coordinator-chromium-'));
    // A persistent context is how playwright takes a user data dir of our choosing.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 20_000,
      viewport: { width: 1280, height: 900 },
      // The browser answers the dashboard's Basic challenge with the admin key as password.
      httpCredentials: { username: 'operator', password: coordinator.apiKey('test') },
    });
    // The page may ask for more than the host (the UI links a web font): nothing leaves this machine.
    await context.route(
      (url) => url.hostname !== '127.0.0.1',
      (route) => route.abort(),
    );
    context.setDefaultTimeout(10_000);
    context.setDefaultNavigationTimeout(15_000);
    return context.pages()[0] ?? (await context.newPage());
  }

  itWithChromium(
    'shows the orders and payments queues and the reason of a permanently failed task',
    async () => {
      expect(failed.failureReason).toMatch(/order management rejected POST \/orders with 400/);
      const page = await browse();
      try {
        const broken: string[] = [];
        page.on('response', (r) => {
          if (r.status() >= 400) broken.push(`${r.status()} ${r.url()}`);
        });
        await page.goto(`${coordinator.http.baseUrl}/admin/queues`);
        const queue = (name: string) => page.getByRole('link', { name, exact: true }).first();
        await queue('orders').waitFor();
        await queue('payments').waitFor();
        await queue('orders').click();
        await page
          .getByRole('link', { name: /failed/i })
          .first()
          .click();
        await page.waitForURL(/\/admin\/queues\/queue\/orders\?status=failed/);
        await page.getByText('order management rejected POST /orders with 400').first().waitFor();
        // Read-only by default: no action offers to retry or remove the job.
        expect(await page.getByRole('button', { name: /retry|clean|remove|delete|promote/i }).count()).toBe(0);
        // Every script, style and API call of the dashboard was answered.
        expect(broken).toEqual([]);
      } finally {
        await mkdir(join(repoRoot, 'test-artifacts'), { recursive: true });
        await page.screenshot({ path: SCREENSHOT, fullPage: true }).catch(() => undefined);
      }
    },
    60_000,
  );
});
