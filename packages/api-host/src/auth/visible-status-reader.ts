import { ADMIN_SCOPE, scopeGranted, TaskStatusReader, type Principal, type TaskStatus } from '@coordinator/core';
import { actingPrincipal } from '@coordinator/core/runtime';

/**
 * The status reader controllers get on the API host: a task is visible to its owner, to
 * the owner of its correlation (an order's fulfilment, started by a webhook, belongs to
 * whoever placed the order) and to admins. Anything else reads as absent, so callers
 * answer 404 and ids cannot be probed. A correlation belongs to the owner of its oldest
 * owned task.
 */
export class VisibleStatusReader extends TaskStatusReader {
  constructor(private readonly inner: TaskStatusReader) {
    super();
  }

  async get(taskId: string): Promise<TaskStatus | undefined> {
    const status = await this.inner.get(taskId);
    if (!status) return undefined;
    const principal = actingPrincipal();
    if (seesEverything(principal) || (principal && status.owner === principal.id)) return status;
    if (principal && status.correlationId && !status.owner) {
      const related = await this.inner.listByCorrelation(status.correlationId);
      if (ownerOf(related) === principal.id) return status;
    }
    return undefined;
  }

  async listByCorrelation(correlationId: string): Promise<TaskStatus[]> {
    const statuses = await this.inner.listByCorrelation(correlationId);
    const principal = actingPrincipal();
    if (seesEverything(principal)) return statuses;
    return principal && ownerOf(statuses) === principal.id ? statuses : [];
  }
}

function seesEverything(principal: Principal | undefined): boolean {
  return principal !== undefined && scopeGranted(principal.scopes, ADMIN_SCOPE);
}

function ownerOf(statuses: readonly TaskStatus[]): string | undefined {
  return statuses.find((s) => s.owner !== undefined)?.owner;
}
