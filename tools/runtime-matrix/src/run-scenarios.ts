import { describeError } from './check.js';
import type { MatrixContext } from './context.js';
import { type MatrixReport, SCENARIO_NAMES, type ScenarioName } from './scenario-names.js';
import { browserOnlyFeaturesFailTyped, secretsStayHidden } from './secret-scenarios.js';
import {
  eventsReachSubscribers,
  passwordGrant,
  renewalAfter401,
  singleFlight,
  timeoutAndUnreachable,
  wrongPassword,
} from './smartconnect-scenarios.js';
import { authorizationAndCallback, forgedAndReusedState, partialConsent, restClient } from './smithcart-scenarios.js';

const SCENARIOS: Record<ScenarioName, (context: MatrixContext) => Promise<void>> = {
  'password grant': passwordGrant,
  'single flight of 50 cold calls': singleFlight,
  '401 renewal': renewalAfter401,
  'wrong password': wrongPassword,
  'timeout and unreachable server': timeoutAndUnreachable,
  'events reach subscribe()': eventsReachSubscribers,
  'authorization request and callback': authorizationAndCallback,
  'forged and reused state': forgedAndReusedState,
  'partial consent': partialConsent,
  'REST client get, list, paginate, create, delete': restClient,
  'secrets in inspect, JSON and String': secretsStayHidden,
  'browser-only features fail typed': browserOnlyFeaturesFailTyped,
};

/** Runs the named scenarios one after another; a failure is reported, and the next one runs. */
export async function runScenarios(
  context: MatrixContext,
  names: readonly string[] = SCENARIO_NAMES,
): Promise<MatrixReport> {
  const report: MatrixReport = {};
  for (const name of names) {
    const scenario = SCENARIOS[name as ScenarioName];
    try {
      if (!scenario) throw new Error(`no scenario is called "${name}"`);
      await scenario(context);
      report[name] = { ok: true };
    } catch (error) {
      report[name] = { ok: false, error: describeError(error) };
    }
  }
  return report;
}
