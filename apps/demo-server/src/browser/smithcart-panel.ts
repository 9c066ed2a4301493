import {
  type AccessToken,
  clearCallbackFragment,
  createSmithCartClient,
  createSmithCartSession,
  isGrantKitError,
  ScopeSet,
  type SmithCartClient,
  type SmithCartSession,
} from '@grantkit/smithcart';
import { h, message } from './dom.js';
import { type Action, errorMessage, reportUnexpected } from './messages.js';

/** Where the panel connects, from the page's `data-` attributes. */
export interface PanelSettings {
  baseUrl: string;
  clientId: string;
}

/** The scopes the demo asks for: `orders` to list, `create` and `delete` to change. */
export const REQUESTED_SCOPES = ['orders', 'create', 'delete'] as const;

/** SmithCart sends the token back to this path, which serves the home page. */
export const CALLBACK_PATH = '/smithcart/callback.html';

const PAGE_SIZE = 10;

interface Order {
  id: number;
  number?: string;
  status?: string;
  total?: number;
  currency?: string;
  created_at?: string;
}

const LIST: Action = { label: 'Listing your orders', scope: 'orders' };
const CREATE: Action = { label: 'Creating an order', scope: 'create' };
const DELETE: Action = { label: 'Deleting an order', scope: 'delete' };

const SIGNED_OUT =
  'Disconnected in every tab of the demo. SmithCart cannot revoke a token: it stays valid until it expires.';

function money(order: Order): string {
  if (typeof order.total !== 'number') return '—';
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency: order.currency ?? 'GBP' }).format(order.total);
}

function scopeList(scopes: Iterable<string>): HTMLElement {
  const names = [...scopes];
  if (names.length === 0) return h('span', { class: 'muted' }, 'none');
  return h('span', {}, ...names.map((scope) => h('code', { class: 'scope' }, scope)));
}

function expiry(token: AccessToken): string {
  if (token.expiresAt === undefined) return 'unknown';
  const date = new Date(token.expiresAt);
  if (Number.isNaN(date.getTime())) return 'too far in the future to show';
  const minutes = Math.round((token.expiresAt - Date.now()) / 60_000);
  const time = date.toISOString().slice(11, 16);
  return minutes > 0 ? `in ${minutes} min (${time} UTC)` : `expired (${time} UTC)`;
}

/** An order reference for the shop's records; SmithCart numbers the order itself with `id`. */
function orderNumber(): string {
  const [random = 0] = crypto.getRandomValues(new Uint32Array(1));
  return `WEB-${String(random % 1_000_000).padStart(6, '0')}`;
}

/**
 * The collection's size from the API's `X-Total-Count` (HEAD), if it gives
 * one; the pager then shows it. Without it (or if HEAD fails) the pager shows
 * the page number only, and the list itself still works.
 */
async function totalCount(client: SmithCartClient, path: string): Promise<number | undefined> {
  try {
    const text = (await client.head(path)).get('x-total-count');
    return text !== null && /^\d+$/.test(text) ? Number(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The panel: Connect when no tab of the demo holds a token, else the orders.
 * The token lives in a {@link SmithCartSession}: in memory only, shared with
 * the demo's other tabs, and forgotten by all of them on Disconnect.
 */
export function mountSmithCartPanel(root: HTMLElement, settings: PanelSettings): void {
  // Back from SmithCart: the token leaves the address bar and the history entry before anything else runs.
  const callback = location.pathname === CALLBACK_PATH ? location.href : undefined;
  if (callback !== undefined) {
    clearCallbackFragment();
    history.replaceState(null, '', '/');
  }
  const session: SmithCartSession = createSmithCartSession({
    baseUrl: settings.baseUrl,
    clientId: settings.clientId,
    redirectUri: new URL(CALLBACK_PATH, location.origin).href,
    scope: REQUESTED_SCOPES,
  });

  const connectButton = (label: string, feedback: HTMLElement) =>
    h(
      'button',
      {
        type: 'button',
        'data-testid': 'smithcart-connect',
        onclick: () => {
          // Connect again with a token in hand (a scope is missing): a new consent replaces it in every tab.
          if (session.token) session.signOut();
          feedback.replaceChildren(
            message('info', 'Waiting for SmithCart… If another tab of the demo shows its consent page, answer there.'),
          );
          // This tab goes to the consent page, unless another tab is there already: then it gets that tab's answer.
          session.getToken().catch((error: unknown) => {
            reportUnexpected(error, 'Connecting to SmithCart', location.pathname);
            disconnected(errorMessage(error));
          });
        },
      },
      label,
    );

  /** The view without a token, with what went wrong last (if anything) or a notice. */
  const disconnected = (problem?: string, notice?: string) => {
    const feedback = h(
      'div',
      { class: 'feedback' },
      problem === undefined ? undefined : message('error', problem),
      notice === undefined ? undefined : message('info', notice),
    );
    root.replaceChildren(
      h(
        'p',
        {},
        'Connect sends you to SmithCart’s consent page, which returns a token to ',
        h('code', {}, CALLBACK_PATH),
        ' in the URL fragment. The demo asks for ',
        scopeList(REQUESTED_SCOPES),
        '. The token stays in memory, shared with the demo’s other open tabs: Disconnect forgets it in all of them, and so does closing or reloading the last one.',
      ),
      feedback,
      connectButton(problem === undefined ? 'Connect to SmithCart' : 'Connect again', feedback),
    );
  };

  /** The connected view: granted and denied scopes, the orders page by page, create and delete. */
  const connected = (token: AccessToken) => {
    const granted = token.scope;
    const denied = ScopeSet.of(REQUESTED_SCOPES).difference(granted);
    const client: SmithCartClient = createSmithCartClient({ baseUrl: settings.baseUrl, token });
    const ordersPath = client.userPath('me', 'orders.json');
    const canCreate = granted.has('create');
    const canDelete = granted.has('delete');
    const status = h('div', { class: 'feedback', 'aria-live': 'polite' });
    const table = h('div', { class: 'orders', 'data-testid': 'smithcart-orders' });
    const pager = h('nav', { class: 'pager', 'aria-label': 'Order pages' });
    const orders = h(
      'section',
      { class: 'orders-section', 'aria-label': 'Your orders' },
      h('h3', {}, 'Your orders'),
      table,
      pager,
    );
    orders.hidden = true;
    let pageNumber = 1;

    const show = (kind: 'ok' | 'error' | 'info', text: string) => status.replaceChildren(message(kind, text));
    const fail = (error: unknown, action: Action) => {
      reportUnexpected(error, action.label, location.pathname);
      const text = errorMessage(error, action);
      // A dead token: back to Connect, with the reason.
      const dead =
        isGrantKitError(error, 'token_expired') || (isGrantKitError(error, 'http_error') && error.status === 401);
      if (dead) {
        // Refused by SmithCart: no tab can use it any more (an expired one the other tabs drop by themselves).
        if (session.token === token) session.signOut();
        disconnected(text);
        return;
      }
      status.replaceChildren(message('error', text));
      if (isGrantKitError(error, 'insufficient_scope')) status.append(connectButton('Connect again', status));
    };

    const load = async (number: number, highlight?: number): Promise<void> => {
      try {
        const [page, total] = await Promise.all([
          client.list<Order>(ordersPath, { searchParams: { page: number, per_page: PAGE_SIZE } }),
          totalCount(client, ordersPath),
        ]);
        // The last order of the last page was deleted: show the page before it.
        if (page.items.length === 0 && number > 1) return load(number - 1);
        pageNumber = number;
        orders.hidden = false;
        renderPage(page.items, page.prev !== undefined, page.next !== undefined, total, highlight);
      } catch (error) {
        orders.hidden = true;
        fail(error, LIST);
      }
    };

    const remove = async (order: Order) => {
      try {
        await client.delete(client.userPath('me', 'orders', `${order.id}.json`));
        show('ok', `Deleted order #${order.id} (204 No Content).`);
        await load(pageNumber);
      } catch (error) {
        fail(error, DELETE);
      }
    };

    /** Delete asks first, in the row itself: Yes or Keep. The focus moves along, to Keep first. */
    const deleteCell = (order: Order): HTMLElement => {
      const cell = h('td', { class: 'actions' });
      const start = (): HTMLElement => h('button', { type: 'button', class: 'link danger', onclick: ask }, 'Delete');
      const keep = () => {
        const button = start();
        cell.replaceChildren(button);
        button.focus();
      };
      function ask() {
        const yes = h(
          'button',
          {
            type: 'button',
            class: 'link danger',
            'aria-label': `Yes, delete order #${order.id}`,
            onclick: () => void remove(order),
          },
          'Yes',
        );
        const no = h('button', { type: 'button', class: 'link', onclick: keep }, 'Keep');
        cell.replaceChildren(h('span', { class: 'muted' }, 'Delete?'), yes, no);
        no.focus();
      }
      cell.append(start());
      return cell;
    };

    function renderPage(items: Order[], hasPrev: boolean, hasNext: boolean, total?: number, highlight?: number) {
      const rows = items.map((order) =>
        h(
          'tr',
          { 'data-order-id': String(order.id), class: order.id === highlight ? 'new' : undefined },
          h('td', {}, `#${order.id}`),
          h('td', {}, order.number ?? '—'),
          h('td', {}, order.status ?? '—'),
          h('td', { class: 'number' }, money(order)),
          h('td', {}, order.created_at ? order.created_at.slice(0, 10) : '—'),
          canDelete && deleteCell(order),
        ),
      );
      const headings = ['Id', 'Number', 'Status', 'Total', 'Created'].map((name) =>
        h('th', { class: name === 'Total' ? 'number' : undefined }, name),
      );
      table.replaceChildren(
        items.length === 0
          ? h('p', { class: 'muted' }, 'No orders yet.')
          : h(
              'div',
              { class: 'table-scroll' },
              h(
                'table',
                {},
                h(
                  'thead',
                  {},
                  h('tr', {}, ...headings, canDelete && h('th', {}, h('span', { class: 'sr-only' }, 'Actions'))),
                ),
                h('tbody', {}, ...rows),
              ),
            ),
      );
      const pages = total === undefined ? undefined : Math.max(1, Math.ceil(total / PAGE_SIZE));
      const position =
        total === undefined
          ? `Page ${pageNumber}`
          : `Page ${pageNumber} of ${pages} · ${total} ${total === 1 ? 'order' : 'orders'}`;
      pager.replaceChildren(
        h(
          'button',
          { type: 'button', class: 'secondary', disabled: !hasPrev, onclick: () => void load(pageNumber - 1) },
          '← Previous',
        ),
        h('span', { 'data-testid': 'smithcart-page' }, position),
        h(
          'button',
          { type: 'button', class: 'secondary', disabled: !hasNext, onclick: () => void load(pageNumber + 1) },
          'Next →',
        ),
      );
    }

    const totalInput = h('input', {
      name: 'total',
      type: 'number',
      inputmode: 'decimal',
      min: '0.01',
      step: '0.01',
      value: '25.00',
      required: true,
    }) as HTMLInputElement;
    const create = async () => {
      try {
        const number = orderNumber();
        const { data, location: created } = await client.create<Order>(ordersPath, {
          number,
          status: 'open',
          total: Math.round(Number(totalInput.value) * 100) / 100,
          currency: 'GBP',
          created_at: new Date().toISOString(),
        });
        const path = new URL(created).pathname;
        show('ok', `Created order #${data.id}, number ${data.number ?? number} (201 Created) at ${path}.`);
        // The new order is the last one: show the last page, where it is.
        const total = await totalCount(client, ordersPath);
        await load(total === undefined ? pageNumber : Math.max(1, Math.ceil(total / PAGE_SIZE)), data.id);
      } catch (error) {
        fail(error, CREATE);
      }
    };
    const createForm = canCreate
      ? h(
          'form',
          {
            class: 'create',
            onsubmit: (event) => {
              event.preventDefault();
              void create();
            },
          },
          h('label', {}, 'New order total (GBP) ', totalInput),
          h('button', { type: 'submit' }, 'Create order'),
        )
      : h('p', { class: 'hint' }, 'Creating orders needs the "create" scope: connect again and keep it ticked.');

    root.replaceChildren(
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Granted'),
        h('dd', { 'data-testid': 'smithcart-granted' }, scopeList(granted)),
        h('dt', {}, 'Denied'),
        h('dd', { 'data-testid': 'smithcart-denied' }, scopeList(denied)),
        h('dt', {}, 'Token'),
        h('dd', {}, 'bearer ', h('span', { class: 'muted' }, '(value hidden, in memory only)')),
        h('dt', {}, 'Expires'),
        h('dd', {}, expiry(token)),
      ),
      status,
      orders,
      createForm,
      h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => session.signOut() }, 'Disconnect')),
    );
    void load(1);
  };

  // Every tab renders what the session holds: a token it got here, from another tab, or none after a sign-out.
  session.subscribe((token) => (token ? connected(token) : disconnected(undefined, SIGNED_OUT)));
  if (callback === undefined) {
    // Another tab's token arrives within milliseconds, if there is one.
    disconnected();
    return;
  }
  root.replaceChildren(message('info', 'Checking the answer from SmithCart…'));
  session.completeRedirect(callback).then(
    (result) => {
      if (result === undefined) disconnected();
    },
    (error: unknown) => {
      reportUnexpected(error, 'Finishing the SmithCart connection', CALLBACK_PATH);
      disconnected(errorMessage(error));
    },
  );
}
