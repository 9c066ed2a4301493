import { type ChildProcess, fork } from 'node:child_process';

/** A message between the parent and a worker. One that carries an `id` asks for (or is) an answer. */
export interface WorkerMessage {
  readonly type: string;
  readonly id?: number;
}

/** Worker processes, each asked over IPC. */
export interface WorkerPool<ToWorker extends WorkerMessage, ToParent extends WorkerMessage> {
  readonly size: number;
  /** Sends `message(id)` to one worker; resolves with its answer, or `undefined` when the worker died first. */
  ask(worker: number, message: (id: number) => ToWorker): Promise<ToParent | undefined>;
  /**
   * Asks every live worker at once. Resolves with the answers of type `type`, leaving out the workers killed
   * meanwhile; any other answer throws, with what the workers reported as `crashed`.
   */
  askAll<T extends ToParent['type']>(
    type: T,
    message: (worker: number, id: number) => ToWorker,
  ): Promise<{ worker: number; reply: Extract<ToParent, { type: T }> }[]>;
  /** SIGKILLs one worker; it takes no further part until {@link respawnKilled}. */
  kill(worker: number): void;
  /** Forks again every worker that was killed. */
  respawnKilled(): void;
  /** Sends each worker `{ type: 'stop' }` and resolves once all have exited (SIGKILL after 5 s). */
  stop(): Promise<void>;
}

export interface ForkWorkersOptions<ToParent> {
  /** The worker's TypeScript module, run under tsx with the workspace packages from source. */
  script: string;
  size: number;
  /** A message without `id` (something the worker reports unasked), with the worker's index. */
  onNotice?: ((worker: number, message: ToParent) => void) | undefined;
}

/** Forks `size` workers of `script` on this very Node binary (so a suite run on Node 22 forks Node 22). */
export function forkWorkers<ToWorker extends WorkerMessage, ToParent extends WorkerMessage>(
  options: ForkWorkersOptions<ToParent>,
): WorkerPool<ToWorker, ToParent> {
  const pending = new Map<number, { worker: number; resolve: (message: ToParent | undefined) => void }>();
  const children: ChildProcess[] = [];
  const killed = new Set<number>();
  const crashes: string[] = [];
  let nextId = 0;

  const spawnWorker = (index: number) => {
    const child = fork(options.script, [], {
      execPath: process.execPath,
      // The workspace packages from source, as in the tests: the @grantkit/source export condition.
      execArgv: ['--conditions=@grantkit/source', '--import', 'tsx'],
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (message: ToParent) => {
      if (message.id !== undefined) {
        pending.get(message.id)?.resolve(message);
        pending.delete(message.id);
        return;
      }
      if (message.type === 'crashed') crashes.push(`worker ${index}: ${JSON.stringify(message)}`);
      options.onNotice?.(index, message);
    });
    child.on('exit', () => {
      for (const [id, asked] of pending) {
        if (asked.worker !== index) continue;
        pending.delete(id);
        asked.resolve(undefined);
      }
    });
    children[index] = child;
  };
  for (let index = 0; index < options.size; index += 1) spawnWorker(index);
  const live = () => children.flatMap((_, index) => (killed.has(index) ? [] : [index]));

  const ask = (worker: number, message: (id: number) => ToWorker) =>
    new Promise<ToParent | undefined>((resolve) => {
      const id = nextId++;
      pending.set(id, { worker, resolve });
      children[worker]?.send(message(id), (error) => error && resolve(undefined));
    });

  return {
    size: options.size,
    ask,
    async askAll(type, message) {
      const replies = await Promise.all(
        live().map(async (worker) => ({ worker, reply: await ask(worker, (id) => message(worker, id)) })),
      );
      return replies.flatMap(({ worker, reply }) => {
        if (reply === undefined && killed.has(worker)) return [];
        if (reply?.type !== type) {
          throw new Error(`worker ${worker} answered ${reply?.type ?? 'nothing'} ${crashes.join('; ')}`.trim());
        }
        return [{ worker, reply: reply as Extract<ToParent, { type: typeof type }> }];
      });
    },
    kill(worker) {
      killed.add(worker);
      children[worker]?.kill('SIGKILL');
    },
    respawnKilled() {
      for (const index of killed) spawnWorker(index);
      killed.clear();
    },
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.send({ type: 'stop' }, () => undefined);
              setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
            }),
        ),
      );
    },
  };
}
