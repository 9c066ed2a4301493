import { ConfigurationError, HttpError, StateMismatchError } from '@grantkit/core';
import { describe, expect, it } from '@jest/globals';
import { CliError } from './cli-error.js';
import { reportError } from './error-report.js';
import { ExitCode } from './exit-codes.js';

describe('reportError', () => {
  describe('for grantkit errors', () => {
    it('maps each kind to its exit code', () => {
      expect(reportError(new StateMismatchError('its state is unknown')).exitCode).toBe(ExitCode.stateMismatch);
      expect(reportError(new ConfigurationError('Pass `baseUrl`.')).exitCode).toBe(ExitCode.usage);
      const unauthorized = new HttpError({ status: 401, method: 'GET', url: 'https://api.example.com/me', body: null });
      const failed = new HttpError({ status: 502, method: 'GET', url: 'https://api.example.com/me', body: null });
      expect(reportError(unauthorized).exitCode).toBe(ExitCode.authentication);
      expect(reportError(failed).exitCode).toBe(ExitCode.provider);
    });
  });

  describe('for an error that is not grantkit’s', () => {
    it('names its class only, since its message may hold a secret', () => {
      const report = reportError(new TypeError('cannot read hunter2-the-password'));

      expect(report.exitCode).toBe(ExitCode.unexpected);
      expect(report.message).toContain('TypeError');
      expect(JSON.stringify(report)).not.toContain('hunter2');
    });
  });

  describe('for an address already in use', () => {
    it('says another program listens there, not to check file permissions', () => {
      const error = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', syscall: 'listen' });

      const report = reportError(error);

      expect(report.message).toContain('Another program already listens on that address');
      expect(report.message).not.toContain('GRANTKIT_DEMO_HOME');
    });
  });

  describe('for a multi-line message', () => {
    it('prints one line', () => {
      const report = reportError(new CliError('usage', ExitCode.usage, 'First line.\n  Second line.'));

      expect(report.message).toBe('First line. Second line.');
    });
  });
});
