/*
 * Scenario 6: version skew in the middle of a rolling deploy. The api-host and one worker
 * host run the `skew` extension 1.1.0 (task `skew.record` at schema version 2), a second
 * worker host still runs 1.0.0 (schema version 1). The older worker must put back every
 * job written for the newer schema (deferred as `schema-ahead`, no attempt spent) so that
 * none fails and all of them complete on the newer worker. Its own small deployment: the
 * fixture extension instead of orders and payments.
 */
import { SignJWT } from 'jose';
import { startDeployment, type Deployment } from '../../e2e/support/deployment.js';
import type { ChaosSettings } from '../support/chaos-settings.js';
import { pause, waitFor } from '../support/deadline.js';
import { countDelivery } from '../support/delivery-check.js';
import { JobCensus, type JobRecord } from '../support/job-census.js';
import { progress } from '../support/progress.js';
import { check, type ScenarioResult } from '../support/scenario-result.js';
import { scrapeMetrics, sumOf } from '../support/worker-metrics.js';

export async function versionSkew(
  settings: ChaosSettings,
  fixtures: { older: string; newer: string },
  signal: AbortSignal,
): Promise<ScenarioResult> {
  const s = settings.versionSkew;
  const began = Date.now();
  progress(
    `6 version-skew: api + worker on skew 1.1.0 (schema 2), a worker on skew 1.0.0 (schema 1); ${s.tasks} tasks`,
  );
  let d: Deployment | undefined;
  let census: JobCensus | undefined;
  const older: Awaited<ReturnType<Deployment['startWorker']>>[] = [];
  try {
    d = await startDeployment({ ...settings.hostEnv, COORDINATOR_EXTENSIONS: fixtures.newer });
    older.push(await d.startWorker({ COORDINATOR_EXTENSIONS: fixtures.older }));
    const newerPid = d.worker.pid;
    const olderPid = older[0]!.pid;
    census = new JobCensus(d.redis.url);
    const token = await new SignJWT({ scope: 'skew:write tasks:read' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('chaos-skew')
      .setIssuer('https://issuer.test')
      .setAudience('coordinator')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(d.jwtSecret));

    // A steady trickle, so both workers are waiting for jobs as they come.
    const taskIds: string[] = [];
    const refused: number[] = [];
    for (let i = 0; i < s.tasks && !signal.aborted; i++) {
      const answer = await post(d, token, `skew-${i}-${began}`);
      if (typeof answer === 'string') taskIds.push(answer);
      else refused.push(answer);
      await pause(1_000 / s.ratePerSec, signal);
    }
    progress(`6 version-skew: ${taskIds.length} tasks accepted; waiting for them to complete`);
    let records: JobRecord[] = [];
    const drainBegan = Date.now();
    await waitFor(
      async () => {
        records = await census!.jobs(taskIds);
        return records.every((r) => r.state === 'completed' || r.state === 'failed');
      },
      { timeoutMs: s.drainTimeoutMs, intervalMs: 500, signal },
    );
    const drainMs = Date.now() - drainBegan;
    const [olderMetrics, newerMetrics] = await Promise.all([scrapeMetrics(older[0]!.url), scrapeMetrics(d.worker.url)]);
    const deferredByOlder = sumOf(olderMetrics, 'coordinator_tasks_deferred_total', { reason: 'schema-ahead' });
    const deferredByNewer = sumOf(newerMetrics, 'coordinator_tasks_deferred_total', { reason: 'schema-ahead' });

    const delivery = countDelivery(
      taskIds.map((id) => ({ orderId: id, taskId: id, steps: ['skew.record'] })),
      new Map(records.map((r) => [r.id, [r]])),
    );
    const ranBy = (r: JobRecord) => r.result as { ranBy?: string; pid?: number } | undefined;
    const onNewer = records.filter(
      (r) => r.state === 'completed' && ranBy(r)?.ranBy === '1.1.0' && ranBy(r)?.pid === newerPid,
    ).length;
    const onOlder = records.filter((r) => ranBy(r)?.ranBy === '1.0.0' || ranBy(r)?.pid === olderPid).length;
    // How often each job was handed out before it ran: 1 is straight to the newer worker.
    const startsPerJob: Record<string, number> = {};
    for (const r of records) startsPerJob[r.attemptsStarted] = (startsPerJob[r.attemptsStarted] ?? 0) + 1;
    const unfinished = records
      .filter((r) => r.state !== 'completed')
      .map((r) => `${r.id}: ${r.state}, ${r.attemptsStarted} starts`);

    return {
      id: 6,
      name: 'version-skew',
      title: 'version skew: a worker host on an older schema of `skew.record` beside one on the newer schema',
      startedAt: new Date(began).toISOString(),
      durationMs: Date.now() - began,
      settings: { ...s, olderPid, newerPid },
      delivery,
      timings: { drainMs },
      observed: {
        accepted: taskIds.length,
        refused,
        deferredByOlder,
        deferredByNewer,
        completedOnNewer: onNewer,
        ranOnOlder: onOlder,
        startsPerJob,
        unfinished: unfinished.slice(0, 10),
      },
      headline: `${onNewer}/${taskIds.length} on 1.1.0, ${deferredByOlder} deferred by 1.0.0`,
      checks: [
        check('tasks accepted', `= ${s.tasks}`, taskIds.length, taskIds.length === s.tasks),
        check('failed jobs', '= 0', delivery.failed, delivery.failed === 0),
        check('lost tasks', '= 0', delivery.lost, delivery.lost === 0),
        check('completed on the newer worker', `= ${taskIds.length}`, onNewer, onNewer === taskIds.length),
        check('run by the older worker', '= 0', onOlder, onOlder === 0),
        check('jobs the older worker deferred (schema-ahead)', '>= 1', deferredByOlder, deferredByOlder >= 1),
      ],
    };
  } finally {
    await Promise.all(older.map((w) => w.stop('SIGTERM', 5_000)));
    await d?.stop();
    await census?.close();
  }
}

/** The task id of a 202, or the status of anything else (after a few retries of a 503). */
async function post(d: Deployment, token: string, label: string): Promise<string | number> {
  for (let attempt = 1; ; attempt++) {
    const response = await d.call('/skew/records', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ label }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as { taskId?: string };
    if (response.status === 202 && body.taskId) return body.taskId;
    if (response.status !== 503 || attempt >= 5) return response.status;
    await pause(1_000);
  }
}
