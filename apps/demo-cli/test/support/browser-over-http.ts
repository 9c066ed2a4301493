/** What the user does on the mock SmithCart's consent page. */
export interface Consent {
  decision: 'approve' | 'deny';
  /** Scopes to untick before approving. */
  untick?: readonly string[];
}

/** The authorization address the CLI printed on stderr. */
export const AUTHORIZE_URL = /(http:\/\/127\.0\.0\.1:\d+\/oauth2\/authorize\?\S+)/;

/**
 * Plays the browser on the mock's consent page with plain HTTP: loads the
 * page, submits the form as a browser would (ticked boxes only; the disabled
 * `public` box is not sent), and returns the redirect's `Location`, which
 * carries the response in its fragment.
 */
export async function consent(authorizeUrl: string, { decision, untick = [] }: Consent): Promise<URL> {
  const page = await fetch(authorizeUrl);
  if (page.status !== 200) throw new Error(`The consent page answered ${page.status}: ${await page.text()}`);
  const html = await page.text();
  const ticket = html.match(/name="ticket" value="([^"]+)"/)?.[1];
  const action = html.match(/<form method="post" action="([^"]+)"/)?.[1];
  if (!ticket || !action) throw new Error(`No consent form in:\n${html}`);
  const scopes = [...html.matchAll(/name="scope" value="([^"]+)" checked(?! disabled)/g)].map(
    (match) => match[1] as string,
  );
  const form = new URLSearchParams({ ticket, decision });
  for (const scope of scopes) if (!untick.includes(scope)) form.append('scope', scope);
  const answer = await fetch(new URL(action, authorizeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`Consent answered ${answer.status}: ${await answer.text()}`);
  return new URL(location);
}

/** What the callback page's script would get back from the listener. */
export interface Delivery {
  status: number;
  body: { ok: boolean; message: string };
}

/**
 * Does what the callback page's script does: loads the page at the
 * redirect URI (without the fragment, which browsers never send), then posts
 * the fragment back to the listener from the page's origin.
 */
export async function deliver(callback: URL, fragment = callback.hash.slice(1)): Promise<Delivery> {
  const pageUrl = new URL(callback);
  pageUrl.hash = '';
  const page = await fetch(pageUrl);
  if (page.status !== 200) throw new Error(`The callback page answered ${page.status}`);
  await page.text();
  const answer = await fetch(pageUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: pageUrl.origin },
    body: JSON.stringify({ fragment }),
  });
  return { status: answer.status, body: (await answer.json()) as Delivery['body'] };
}

/** Whether anything still listens at `url`. */
export async function isListening(url: string | URL): Promise<boolean> {
  try {
    await (await fetch(url)).text();
    return true;
  } catch {
    return false;
  }
}
