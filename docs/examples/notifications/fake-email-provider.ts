import { FakeHttpServer } from '@coordinator/testing';

// A fake downstream on a real port: it records calls, honours idempotency keys, and can
// be told to fail or slow down through `faults`.
export class FakeEmailProvider extends FakeHttpServer {
  readonly sent = new Map<string, { to: string; subject: string }>();

  constructor() {
    super({ name: 'email' });
    this.route('POST', '/messages', (request) => {
      const key = request.headers['idempotency-key'] ?? '';
      if (!this.sent.has(key)) this.sent.set(key, request.body as { to: string; subject: string });
      return { status: 201, body: { id: `msg_${key.slice(-8)}` } };
    });
  }
}
