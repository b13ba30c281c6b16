import { TaskStatusReader, type TaskStatus } from '@coordinator/core';
import { Controller, Get, NotFoundException, Param } from '@nestjs/common';

/** `GET /tasks/:id`: any task's state, attempts, timestamps, result or failure reason. */
@Controller('tasks')
export class TasksController {
  constructor(private readonly statuses: TaskStatusReader) {}

  @Get(':id')
  async get(@Param('id') id: string): Promise<TaskStatus> {
    const status = await this.statuses.get(id);
    if (!status) throw new NotFoundException(`no task with id ${id}`);
    return status;
  }
}
