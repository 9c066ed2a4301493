// Runs a bundle of sign-in-entry.js in Node as a page would (a fake `location` and `history`), makes it throw a
// StateMismatchError and an OAuthError, and prints what an app can see of each as JSON.
//   node run-sign-in.mjs <bundle.mjs>
import { pathToFileURL } from 'node:url';

const page = {
  href: 'https://app.example/callback',
  pathname: '/callback',
  search: '',
  assigned: '',
  assign(url) {
    page.assigned = String(url);
  },
};
globalThis.location = page;
globalThis.history = { state: null, replaceState() {} };

const bundle = await import(pathToFileURL(process.argv[2]).href);

async function failureOf(href) {
  page.href = href;
  try {
    await bundle.callback();
  } catch (error) {
    return error;
  }
  throw new Error(`the callback ${href} was accepted`);
}

function seen(error, Class) {
  return {
    name: error.name,
    code: error.code,
    message: error.message,
    fields: Object.fromEntries(Object.entries(error).filter(([key]) => !['name', 'code'].includes(key))),
    isGrantKitError: bundle.isGrantKitError(error, error.code),
    instanceOfClass: error instanceof Class,
    instanceOfGrantKitError: error instanceof bundle.GrantKitError,
    instanceOfError: error instanceof Error,
  };
}

await bundle.connect('https://app.example/callback');
const state = new URL(page.assigned).searchParams.get('state');
const stateMismatch = await failureOf('https://app.example/callback#access_token=abc&token_type=bearer&state=forged');
const oauth = await failureOf(
  `https://app.example/callback#error=access_denied&error_description=declined&error_uri=https%3A%2F%2Fapi.example.com%2Fhelp&state=${state}`,
);
console.log(
  JSON.stringify({
    stateMismatch: seen(stateMismatch, bundle.StateMismatchError),
    oauth: seen(oauth, bundle.OAuthError),
  }),
);
