const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\u001b[2K';

/** A one-line spinner on a terminal. */
export interface Spinner {
  update(message: string): void;
  /** Replaces the spinner with a final line. */
  stop(line: string): void;
}

/**
 * Starts a spinner on `stream`. It only writes: unlike a prompt library's
 * spinner it leaves stdin and its terminal mode alone, so Ctrl-C stays a
 * SIGINT that the command handles (and exits 130 on).
 */
export function startSpinner(stream: NodeJS.WriteStream, message: string): Spinner {
  let text = message;
  let frame = 0;
  const draw = () => {
    stream.write(`${CLEAR_LINE}${FRAMES[frame % FRAMES.length]} ${text}`);
    frame += 1;
  };
  draw();
  const timer = setInterval(draw, 80);
  timer.unref();
  return {
    update(next) {
      text = next;
      draw();
    },
    stop(line) {
      clearInterval(timer);
      stream.write(`${CLEAR_LINE}${line}\n`);
    },
  };
}
