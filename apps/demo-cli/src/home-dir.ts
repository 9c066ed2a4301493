import envPaths from 'env-paths';

/**
 * Where the command line keeps its files: `GRANTKIT_DEMO_HOME` when set (tests,
 * several profiles side by side), else the per-user config directory
 * (`~/.config/grantkit-demo` on Linux, `~/Library/Preferences/grantkit-demo` on macOS,
 * `%APPDATA%\grantkit-demo\Config` on Windows).
 */
export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.GRANTKIT_DEMO_HOME;
  if (override) return override;
  return envPaths('grantkit-demo', { suffix: '' }).config;
}
