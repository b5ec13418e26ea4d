/**
 * The file piscina's threads load. piscina loads a worker file with require() first and falls back to
 * import(); on Node 20.19+ that require() of an ES module can race an import() of the same graph still
 * linking and abort the whole process ("FATAL ERROR: v8::Module::IsGraphAsync must be used on an
 * instantiated module", nodejs/node#55782; it killed a test process about once a suite). This CommonJS
 * entry is what piscina requires, and it loads the ES worker with import() only, once per thread.
 */
type Worker = typeof import('./worker.js', { with: { 'resolution-mode': 'import' } });
type Task = Parameters<Worker['default']>[0];

let worker: Promise<Worker['default']> | undefined;

async function evaluate(task: Task): Promise<unknown> {
  worker ??= import('./worker.js').then((m) => m.default);
  return (await worker)(task);
}

export = evaluate;
