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
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Headers of every HTML page: no script, no framing, no referrer, not cached. */
export function htmlHeaders(formAction = "'none'"): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
}

/** The page for a request that cannot be sent back to the application. */
export function errorPage(message: string): string {
  return page('SmithCart: authorization error', `<h1>Authorization error</h1><p id="error">${escapeHtml(message)}</p>`);
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
      return `<li><label><input type="checkbox" name="scope" value="${escapeHtml(scope)}" checked${locked}> <code>${escapeHtml(scope)}</code>: ${escapeHtml(text)}</label></li>`;
    })
    .join('');
  const users = input.users
    .map(
      (user) =>
        `<option value="${escapeHtml(user.username)}">${escapeHtml(user.name)} (${escapeHtml(user.username)})</option>`,
    )
    .join('');
  return page(
    `Authorize ${input.client.name}`,
    `<h1>Authorize <span id="client">${escapeHtml(input.client.name)}</span></h1>` +
      `<form method="post" action="${escapeHtml(input.action)}">` +
      `<input type="hidden" name="ticket" value="${escapeHtml(input.ticket)}">` +
      `<p><label>Signed in as <select name="username">${users}</select></label></p>` +
      `<p>It asks for:</p><ul id="scopes">${scopes}</ul>` +
      `<p>You will return to <code>${escapeHtml(input.redirectUri)}</code>.</p>` +
      '<button type="submit" name="decision" value="approve">Approve</button> ' +
      '<button type="submit" name="decision" value="deny">Deny</button>' +
      '</form>',
  );
}
