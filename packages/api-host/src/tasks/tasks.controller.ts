import { RequireScopes, TaskStatusReader, type TaskStatus } from '@coordinator/core';
import { Controller, Get, NotFoundException, Param } from '@nestjs/common';

/**
 * `GET /tasks/:id`: a task's state, attempts, timestamps, result or failure reason; only
 * the caller's own tasks (404 for anyone else's), every task for admins.
 */
@Controller('tasks')
@RequireScopes('tasks:read')
export class TasksController {
  constructor(private readonly statuses: TaskStatusReader) {}

  @Get(':id')
  async get(@Param('id') id: string): Promise<TaskStatus> {
    const status = await this.statuses.get(id);
    if (!status) throw new NotFoundException(`no task with id ${id}`);
    return status;
  }
}
