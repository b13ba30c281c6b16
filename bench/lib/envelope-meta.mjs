// The envelope meta of a job the benchmarks hand straight to TaskExecutor or to BullMQ, without the
// dispatcher: what the dispatcher would write for one of `extension`'s tasks, owner and trace empty.
export function envelopeMeta(extension, task) {
  return {
    task: task.name,
    extension: extension.name,
    extensionVersion: extension.version,
    schemaVersion: 1,
    enqueuedAt: new Date().toISOString(),
    trace: {},
  };
}
