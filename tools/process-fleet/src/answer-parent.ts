/**
 * In a worker process: hands each message of the parent to `handle` and sends back what it returns (nothing
 * when it returns `undefined`). A failure is reported as `{ type: 'crashed', message }`, with the error's code
 * when it has one. The worker exits when the parent goes away.
 */
export function answerParent<ToWorker>(handle: (message: ToWorker) => Promise<object | undefined>): void {
  process.on('message', (message: ToWorker) => {
    handle(message).then(
      (answer) => {
        if (answer !== undefined) process.send?.(answer);
      },
      (error: unknown) => {
        const code = (error as { code?: unknown } | null)?.code;
        process.send?.({ type: 'crashed', message: typeof code === 'string' ? code : String(error) });
      },
    );
  });
  process.on('disconnect', () => process.exit(0));
}
