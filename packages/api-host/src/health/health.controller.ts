import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { TRANSPORT } from '../transport.token.js';
import { Inject } from '@nestjs/common';
import type { TaskTransport } from '@coordinator/core/runtime';

/**
 * Liveness says the process serves HTTP; readiness says it can accept work, which
 * needs Redis and nothing else: workers and downstream services being down is exactly
 * what the queue absorbs.
 */
@Controller('health')
export class HealthController {
  constructor(@Inject(TRANSPORT) private readonly transport: TaskTransport) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<{ status: 'ok'; queue: 'up' }> {
    try {
      await this.transport.ping();
    } catch (error) {
      throw new ServiceUnavailableException({ status: 'unavailable', queue: 'down', reason: (error as Error).message });
    }
    return { status: 'ok', queue: 'up' };
  }
}
