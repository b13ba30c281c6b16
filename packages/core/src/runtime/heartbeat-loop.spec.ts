import { describe, expect, it } from '@jest/globals';
import { HeartbeatLoop, type WorkerHeartbeat, type WorkerHeartbeats } from './worker-heartbeats.js';

const describeHost = (): WorkerHeartbeat => ({
  id: 'w-1',
  hostname: 'box',
  pid: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
  heartbeatAt: '2026-01-01T00:00:00.000Z',
  queues: ['orders'],
  extensions: [],
  coreVersion: '1.0.0',
});

describe('HeartbeatLoop', () => {
  it('retries a failed first heartbeat soon, in the background, so the host is listed at once', async () => {
    const written: WorkerHeartbeat[] = [];
    const removed: string[] = [];
    let failures = 2;
    const heartbeats = {
      beat: async (heartbeat: WorkerHeartbeat) => {
        if (failures-- > 0) throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
        written.push(heartbeat);
      },
      remove: async (id: string) => {
        removed.push(id);
      },
    } as unknown as WorkerHeartbeats;
    const loop = new HeartbeatLoop(heartbeats, describeHost, 60_000);
    // The start is not held up by the failed first beat; the retries run in the background.
    await loop.start();
    expect(written).toHaveLength(0);
    const deadline = Date.now() + 2_000;
    while (written.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(written).toHaveLength(1);
    expect(written[0]!.id).toBe('w-1');
    await loop.stop();
    expect(removed).toEqual(['w-1']);
  });

  it('does not beat again once stopped, even while retrying the first beat', async () => {
    let attempts = 0;
    const heartbeats = {
      beat: async () => {
        attempts += 1;
        throw new Error('Connection is closed.');
      },
      remove: async () => undefined,
    } as unknown as WorkerHeartbeats;
    const loop = new HeartbeatLoop(heartbeats, describeHost, 60_000);
    await loop.start();
    await loop.stop();
    const stoppedAt = attempts;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attempts).toBe(stoppedAt);
  });
});
