import { check } from './check.js';

/** What the user does on SmithCart's consent page. */
export interface ConsentAnswer {
  decision: 'approve' | 'deny';
  /** The scopes left ticked; default: every one the page shows ticked. */
  keep?: readonly string[];
}

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
}

/**
 * Does what a browser does with the authorization URL, over real HTTP: GET the consent page, submit its form
 * (the hidden ticket, the ticked scope boxes, the decision button) and read the redirect's `Location`, whose
 * fragment carries the token or the error. Returns that `Location`.
 */
export async function consentInABrowser(authorizationUrl: string, answer: ConsentAnswer): Promise<string> {
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  check(page.status === 200, `the consent page answered ${page.status}`);
  const html = await page.text();
  const formTag = /<form\b[^>]*>/.exec(html)?.[0];
  check(formTag && attribute(formTag, 'method') === 'post', 'the consent page has no POST form');
  const form = new URLSearchParams();
  for (const [input] of html.matchAll(/<input\b[^>]*>/g)) {
    const name = attribute(input, 'name');
    const value = attribute(input, 'value') ?? '';
    // A browser submits neither disabled controls nor unticked boxes.
    if (name === undefined || /\bdisabled\b/.test(input)) continue;
    if (attribute(input, 'type') === 'checkbox') {
      const ticked = answer.keep ? answer.keep.includes(value) : /\bchecked\b/.test(input);
      if (!ticked) continue;
    }
    form.append(name, value);
  }
  // A <select> submits its first option unless the user picks another.
  for (const [, name, options] of html.matchAll(/<select\b[^>]*name="([^"]*)"[^>]*>(.*?)<\/select>/gs)) {
    const first = /<option\b[^>]*value="([^"]*)"/.exec(options ?? '')?.[1];
    if (name !== undefined && first !== undefined) form.append(name, first);
  }
  form.append('decision', answer.decision);
  const action = new URL(attribute(formTag, 'action') ?? '', authorizationUrl);
  const decided = await fetch(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    redirect: 'manual',
  });
  const location = decided.headers.get('location');
  check(decided.status === 302 && location, `the consent form answered ${decided.status} without a redirect`);
  return location;
}
