/**
 * How to run the command line, as help examples and hints write it: from the
 * repository root, `pnpm -s cli` builds what is needed and runs it (`-s` keeps
 * pnpm's own lines off stdout, so `--json` output can be piped).
 */
export const RUN = 'pnpm -s cli';
