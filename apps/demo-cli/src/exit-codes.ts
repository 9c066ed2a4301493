/** What each exit status of `grantkit-demo` means. Scripts may rely on these numbers. */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  authentication: 3,
  network: 4,
  stateMismatch: 5,
  provider: 6,
  canceled: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit status table, for `--help` and the README. */
export const exitCodeHelp: string = [
  'Exit codes:',
  '  0    success',
  '  1    unexpected error (run again with --debug for the stack trace)',
  '  2    usage: unknown option, bad argument or missing input, or a setting grantkit refused',
  '  3    authentication or authorization refused: wrong password or client, consent denied,',
  '       token expired or lacking a scope, or not signed in',
  '  4    network or time-out: the provider could not be reached or did not answer in time, or the browser\n       did not come back to the sign-in listener before --timeout',
  '  5    the sign-in cannot be trusted: its state expired, or its start address was opened twice\n       (another program may be interfering); nothing was saved',
  '  6    the provider answered with an error or with something that is not what its API documents',
  '  130  canceled (Ctrl-C or an abandoned prompt)',
].join('\n');
