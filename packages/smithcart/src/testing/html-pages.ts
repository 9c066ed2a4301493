import type { MockSmithCartClient, MockSmithCartUser } from './demo-data.js';

/** SmithCart's scopes, as its document lists them, with the consent page's wording. */
export const SCOPES: Readonly<Record<string, string>> = {
  public: 'Public resources',
  private: 'Resources you own',
  create: 'Create new resources',
  edit: 'Modify resources',
  delete: 'Delete resources',
  users: 'Users and user profiles',
  orders: 'Customers, payments, orders, line items and order attributes',
};

/** Escapes text for HTML element content and double-quoted attribute values. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The pages' only style, inline and allowed by its hash alone (no
 * `unsafe-inline`): system fonts, large targets, visible focus, and colours
 * with at least 4.5:1 contrast.
 */
const PAGE_STYLE: string =
  ':root{color:#1f2430;background:#f4f5f7;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}' +
  'body{margin:0}header{background:#8a2c0d;color:#fff;padding:.75rem 1.25rem;font-weight:700;letter-spacing:.02em}' +
  'main{max-width:32rem;margin:1.5rem auto;padding:1.5rem;background:#fff;border:1px solid #d8dbe2;border-radius:10px}' +
  'h1{font-size:1.35rem;margin:0 0 1rem}p{margin:.75rem 0}ul{list-style:none;padding:0;margin:.5rem 0}' +
  'li label{display:flex;gap:.6rem;align-items:flex-start;padding:.5rem 0;border-bottom:1px solid #eceef2;cursor:pointer}' +
  'input[type=checkbox]{flex:none;width:1.15rem;height:1.15rem;margin:.2rem 0 0;accent-color:#8a2c0d}' +
  'code{font:.85em ui-monospace,Menlo,Consolas,monospace;background:#f4f5f7;padding:.05rem .3rem;border-radius:4px;overflow-wrap:anywhere}' +
  'select,button{font:inherit}select{padding:.35rem .5rem;border:1px solid #8b93a3;border-radius:6px;max-width:100%}' +
  '.actions{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1.25rem}' +
  'button{padding:.55rem 1.4rem;border-radius:6px;border:1px solid #8a2c0d;background:#8a2c0d;color:#fff;font-weight:600;cursor:pointer}' +
  'button[value=deny]{background:#fff;color:#8a2c0d}' +
  ':focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}' +
  '.error{color:#9b1c1c}@media (max-width:34rem){main{margin:0;border:0;border-radius:0}}';

/** The CSP source of {@link PAGE_STYLE}: `'sha256-…'` of its exact text. A test recomputes it. */
const PAGE_STYLE_HASH: string = "'sha256-yy/k6MfVp6JmWARP3sdlTGPmN2HwQbUOJjxZOA/HglQ='";

/** Headers of every HTML page: no script, only the page's own style, no framing, no referrer, not cached. */
export function htmlHeaders(formAction = "'none'"): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; style-src ${PAGE_STYLE_HASH}; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}

function page(title: string, body: string): string {
  return (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head>` +
    `<body><header>SmithCart</header><main>${body}</main></body></html>`
  );
}

/** The page for a request that cannot be sent back to the application. */
export function errorPage(message: string): string {
  return page(
    'SmithCart: authorization error',
    `<h1>Authorization error</h1><p id="error" class="error">${escapeHtml(message)}</p>`,
  );
}

/** What the consent page shows and posts back. */
export interface ConsentPageInput {
  action: string;
  ticket: string;
  client: MockSmithCartClient;
  redirectUri: string;
  scopes: readonly string[];
  users: readonly MockSmithCartUser[];
}

/**
 * The consent page: one checkbox per requested scope (`public` ticked and
 * disabled, as the document says it cannot be refused), a user to act as, and
 * Approve / Deny buttons. A plain form: it works without script.
 */
export function consentPage(input: ConsentPageInput): string {
  const scopes = input.scopes
    .map((scope) => {
      const locked = scope === 'public' ? ' disabled' : '';
      const text = SCOPES[scope] ?? scope;
      return `<li><label><input type="checkbox" name="scope" value="${escapeHtml(scope)}" checked${locked}> <span><code>${escapeHtml(scope)}</code>: ${escapeHtml(text)}</span></label></li>`;
    })
    .join('');
  const users = input.users
    .map(
      (user) =>
        `<option value="${escapeHtml(user.username)}">${escapeHtml(user.name)} (${escapeHtml(user.username)})</option>`,
    )
    .join('');
  const name = escapeHtml(input.client.name);
  return page(
    `Authorize ${input.client.name} · SmithCart`,
    `<h1>Authorize <span id="client">${name}</span></h1>` +
      `<p><strong>${name}</strong> asks to use your SmithCart account.</p>` +
      `<form method="post" action="${escapeHtml(input.action)}">` +
      `<input type="hidden" name="ticket" value="${escapeHtml(input.ticket)}">` +
      `<p><label>Signed in as <select name="username">${users}</select></label></p>` +
      `<p id="scopes-label">It asks for (untick what you do not want to share):</p>` +
      `<ul id="scopes" aria-labelledby="scopes-label">${scopes}</ul>` +
      `<p>You will return to <code>${escapeHtml(input.redirectUri)}</code>.</p>` +
      '<div class="actions"><button type="submit" name="decision" value="approve">Approve</button>' +
      '<button type="submit" name="decision" value="deny">Deny</button></div>' +
      '</form>',
  );
}
