import { html } from 'hono/html';
import { type TimelineEntry, timelineTime } from './token-timeline.js';

/** What the SmartConnect panel shows once signed in. */
export interface SignedInPanel {
  signedIn: true;
  username: string;
  /** The token's scope (space-separated, often empty) and expiry, never its value; `undefined` when it could not be had. */
  token: { scope: string; expiresAt: number | undefined } | undefined;
  samplePath: string;
  /** The sample API's JSON answer, or why it failed. */
  sample: { ok: true; body: unknown } | { ok: false; error: string };
  /** The session's last token events, newest first. */
  timeline: readonly TimelineEntry[];
}

/** What the SmartConnect panel shows. */
export type SmartConnectPanel =
  | { signedIn: false; username?: string | undefined; error?: string | undefined }
  | SignedInPanel;

/** Everything the home page needs. */
export interface HomePageModel {
  smartconnect: SmartConnectPanel;
  /** A one-time note above the panels, such as the confirmation of a sign-out. */
  notice?: string | undefined;
  /** Demo sign-in shown beside the form when the embedded mock runs. */
  smartconnectDemoUser: { username: string; password: string } | undefined;
  smithcart: { baseUrl: string; clientId: string; demoUserName: string | undefined };
  providers: 'embedded' | 'real' | 'mixed';
}

function expiry(expiresAt: number | undefined, now: number) {
  if (expiresAt === undefined) return 'unknown: the client renews the token after a 401';
  const date = new Date(expiresAt);
  // A huge expires_in makes an instant no Date can hold (past the year 275760).
  if (Number.isNaN(date.getTime())) return 'too far in the future to show';
  const minutes = Math.round((expiresAt - now) / 60_000);
  const time = date.toISOString().slice(11, 19);
  return minutes > 0
    ? `in ${minutes} min (${time} UTC)`
    : `now (${time} UTC); the client renews it before the next call`;
}

/** What the page says of a token: its type, scopes and expiry. Its value is never shown. */
function tokenFacts(token: SignedInPanel['token']) {
  if (!token) return html`<dt>Token</dt><dd>unavailable right now; see the message below</dd>`;
  const scopes = token.scope.split(' ').filter(Boolean);
  const scope = scopes.length
    ? html`<dt>Scope</dt><dd>${scopes.map((name) => html`<code class="scope">${name}</code>`)}</dd>`
    : '';
  return html`<dt>Token</dt><dd data-testid="smartconnect-token">bearer <span class="muted">(value hidden)</span></dd>
        ${scope}<dt>Expires</dt><dd>${expiry(token.expiresAt, Date.now())}</dd>`;
}

/** One line of the token timeline; `src/browser/token-timeline.ts` builds the same markup live. */
function timelineItem(entry: TimelineEntry) {
  const duration =
    entry.durationMs === undefined ? '' : html`<span class="duration">${Math.round(entry.durationMs)} ms</span>`;
  return html`<li data-id="${entry.id}" data-kind="${entry.kind}" data-reason="${entry.reason ?? ''}"><time datetime="${new Date(entry.at).toISOString()}">${timelineTime(entry.at)}</time> <span class="what">${entry.text}</span> ${duration}</li>`;
}

/** The session's token events, newest first; the page's script keeps the list live. */
function tokenTimeline(entries: readonly TimelineEntry[]) {
  return html`<h3 id="timeline-title">Token events <small>this session, newest first, live</small></h3>
      <ol class="timeline" id="smartconnect-timeline" aria-labelledby="timeline-title" aria-live="polite" aria-relevant="additions" data-testid="smartconnect-timeline">
        ${entries.map(timelineItem)}
      </ol>`;
}

function smartconnectPanel(panel: SmartConnectPanel, demoUser: HomePageModel['smartconnectDemoUser']) {
  if (panel.signedIn) {
    const sample = panel.sample.ok
      ? html`<pre class="json" data-testid="smartconnect-sample">${JSON.stringify(panel.sample.body, null, 2)}</pre>`
      : html`<p class="message error" role="alert">${panel.sample.error}</p>`;
    return html`<p class="status ok" data-testid="smartconnect-status">Signed in as <strong>${panel.username}</strong></p>
      <dl class="facts">
        ${tokenFacts(panel.token)}
      </dl>
      <h3>GET <code>/${panel.samplePath}</code></h3>
      <div id="smartconnect-sample-result">${sample}</div>
      <div class="actions">
        <form method="post" action="/smartconnect/call" id="smartconnect-call">
          <button type="submit" data-testid="smartconnect-call">Call the API again</button>
        </form>
        <form method="post" action="/smartconnect/sign-out">
          <button type="submit" class="secondary">Sign out</button>
        </form>
      </div>
      ${tokenTimeline(panel.timeline)}`;
  }
  const error = panel.error ? html`<p class="message error" role="alert">${panel.error}</p>` : '';
  const hint = demoUser
    ? html`<p class="hint">Demo account: <code>${demoUser.username}</code> / <code>${demoUser.password}</code></p>`
    : '';
  return html`${error}
    <form method="post" action="/smartconnect/sign-in" class="sign-in">
      <label>Username <input name="username" type="email" autocomplete="username" required value="${panel.username ?? ''}"></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
      <button type="submit">Sign in</button>
    </form>
    ${hint}`;
}

const PROVIDERS = {
  embedded: 'the embedded mock providers (no network, no account)',
  real: 'the real providers from your environment',
  mixed: 'one embedded mock and one real provider',
};

/** The home page: both panels. Static assets only, no inline script or style. */
export function homePage(model: HomePageModel) {
  const { smithcart } = model;
  const consentHint = smithcart.demoUserName
    ? html`<p class="hint">On the mock consent page, approve as <strong>${smithcart.demoUserName}</strong>, or untick scopes to see partial consent.</p>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>grantkit demo</title>
  <link rel="icon" href="/favicon.ico">
  <link rel="stylesheet" href="/static/app.css">
  <script type="module" src="/static/app.js"></script>
</head>
<body>
  <header>
    <h1>grantkit demo</h1>
    <p>Two OAuth 2.0 grants, talking to ${PROVIDERS[model.providers]}.</p>
  </header>
  ${model.notice ? html`<p class="notice message ok" role="status" data-testid="notice">${model.notice}</p>` : ''}
  <main>
    <section class="panel" id="smartconnect" aria-labelledby="smartconnect-title">
      <h2 id="smartconnect-title">SmartConnect <small>password grant · on the server</small></h2>
      ${smartconnectPanel(model.smartconnect, model.smartconnectDemoUser)}
    </section>
    <section class="panel" id="smithcart" aria-labelledby="smithcart-title">
      <h2 id="smithcart-title">SmithCart <small>implicit grant · in the browser</small></h2>
      ${consentHint}
      <div id="smithcart-app" data-base-url="${smithcart.baseUrl}" data-client-id="${smithcart.clientId}">
        <noscript><p class="message error">The SmithCart panel runs in the browser: enable JavaScript.</p></noscript>
      </div>
    </section>
  </main>
</body>
</html>`;
}
