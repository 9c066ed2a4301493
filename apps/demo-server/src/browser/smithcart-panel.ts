import { createAuthorizationRequest, createSmithCartClient, type SmithCartClient } from '@grantkit/smithcart';
import { type Connection, forgetConnection, loadConnection } from './connection.js';
import { h, message, tokenSummary } from './dom.js';
import { type Action, errorMessage, reportUnexpected } from './messages.js';

/** Where the panel connects, from the page's `data-` attributes. */
export interface PanelSettings {
  baseUrl: string;
  clientId: string;
}

/** The scopes the demo asks for: `orders` to list, `create` and `delete` to change. */
export const REQUESTED_SCOPES = ['orders', 'create', 'delete'] as const;

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

async function connect(settings: PanelSettings): Promise<void> {
  const { url } = await createAuthorizationRequest({
    baseUrl: settings.baseUrl,
    clientId: settings.clientId,
    redirectUri: new URL('/smithcart/callback.html', location.origin).href,
    scope: REQUESTED_SCOPES,
  });
  location.assign(url);
}

function money(order: Order): string {
  if (typeof order.total !== 'number') return '—';
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency: order.currency ?? 'GBP' }).format(order.total);
}

function scopeList(text: string): HTMLElement {
  const scopes = text.split(' ').filter(Boolean);
  if (scopes.length === 0) return h('span', { class: 'muted' }, 'none');
  return h('span', {}, ...scopes.map((scope) => h('code', { class: 'scope' }, scope)));
}

/** The connected view: granted and denied scopes, the orders page by page, create and delete. */
function connectedView(root: HTMLElement, settings: PanelSettings, connection: Connection, restart: () => void) {
  const client: SmithCartClient = createSmithCartClient({ baseUrl: settings.baseUrl, token: connection.token });
  const ordersPath = client.userPath('me', 'orders.json');
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
  let current: string = ordersPath;
  let pageNumber = 1;

  const show = (kind: 'ok' | 'error' | 'info', text: string) => status.replaceChildren(message(kind, text));
  const fail = (error: unknown, action: Action) => {
    reportUnexpected(error, action.label, location.pathname);
    show('error', errorMessage(error, action));
  };

  const load = async (target: string, number: number): Promise<void> => {
    try {
      const page = await client.list<Order>(target);
      // The last order of the last page was deleted: show the page before it.
      if (page.items.length === 0 && page.prev !== undefined && number > 1) return load(page.prev, number - 1);
      current = target;
      pageNumber = number;
      orders.hidden = false;
      renderPage(page.items, page.prev, page.next);
    } catch (error) {
      orders.hidden = true;
      fail(error, LIST);
    }
  };

  const remove = async (order: Order) => {
    try {
      await client.delete(client.userPath('me', 'orders', `${order.id}.json`));
      show('ok', `Deleted order #${order.id} (204 No Content).`);
      await load(current, pageNumber);
    } catch (error) {
      fail(error, DELETE);
    }
  };

  function renderPage(items: Order[], prev: string | undefined, next: string | undefined) {
    const rows = items.map((order) =>
      h(
        'tr',
        { 'data-order-id': String(order.id) },
        h('td', {}, `#${order.id}`),
        h('td', {}, order.number ?? '—'),
        h('td', {}, order.status ?? '—'),
        h('td', { class: 'number' }, money(order)),
        h('td', {}, order.created_at ? order.created_at.slice(0, 10) : '—'),
        h('td', {}, h('button', { type: 'button', class: 'link danger', onclick: () => void remove(order) }, 'Delete')),
      ),
    );
    table.replaceChildren(
      items.length === 0
        ? h('p', { class: 'muted' }, 'No orders on this page.')
        : h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Id'),
                h('th', {}, 'Number'),
                h('th', {}, 'Status'),
                h('th', { class: 'number' }, 'Total'),
                h('th', {}, 'Created'),
                h('th', {}, ''),
              ),
            ),
            h('tbody', {}, ...rows),
          ),
    );
    pager.replaceChildren(
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          disabled: prev === undefined,
          onclick: () => prev && void load(prev, pageNumber - 1),
        },
        '← Previous',
      ),
      h('span', { 'data-testid': 'smithcart-page' }, `Page ${pageNumber}`),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          disabled: next === undefined,
          onclick: () => next && void load(next, pageNumber + 1),
        },
        'Next →',
      ),
    );
  }

  const totalInput = h('input', { name: 'total', type: 'number', min: '1', step: '1', value: '25', required: true });
  const createForm = h(
    'form',
    {
      class: 'create',
      onsubmit: (event) => {
        event.preventDefault();
        void (async () => {
          try {
            const total = Number((totalInput as HTMLInputElement).value);
            const { data, location: created } = await client.create<Order>(ordersPath, {
              status: 'open',
              total,
              currency: 'GBP',
              created_at: new Date().toISOString(),
            });
            show('ok', `Created order #${data.id} (201 Created) at ${new URL(created).pathname}.`);
            await load(current, pageNumber);
          } catch (error) {
            fail(error, CREATE);
          }
        })();
      },
    },
    h('label', {}, 'New order total (GBP) ', totalInput),
    h('button', { type: 'submit' }, 'Create order'),
  );

  root.replaceChildren(
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Granted'),
      h('dd', { 'data-testid': 'smithcart-granted' }, scopeList(connection.granted)),
      h('dt', {}, 'Denied'),
      h('dd', { 'data-testid': 'smithcart-denied' }, scopeList(connection.denied)),
      h('dt', {}, 'Token'),
      h('dd', {}, tokenSummary(String(connection.token))),
    ),
    status,
    orders,
    createForm,
    h(
      'p',
      {},
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: () => {
            forgetConnection();
            restart();
          },
        },
        'Disconnect',
      ),
    ),
  );
  void load(ordersPath, 1);
}

/** Mounts the SmithCart panel: Connect when there is no token in this tab, else the orders. */
export function mountSmithCartPanel(root: HTMLElement, settings: PanelSettings): void {
  const render = () => {
    const connection = loadConnection();
    if (connection) {
      connectedView(root, settings, connection, render);
      return;
    }
    const feedback = h('div', { class: 'feedback' });
    root.replaceChildren(
      h(
        'p',
        {},
        'Connect sends you to SmithCart’s consent page, which returns a token to ',
        h('code', {}, '/smithcart/callback.html'),
        ' in the URL fragment. The demo asks for ',
        scopeList(REQUESTED_SCOPES.join(' ')),
        '.',
      ),
      feedback,
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'smithcart-connect',
          onclick: () => {
            connect(settings).catch((error: unknown) => {
              reportUnexpected(error, 'Connecting to SmithCart', location.pathname);
              feedback.replaceChildren(message('error', errorMessage(error)));
            });
          },
        },
        'Connect to SmithCart',
      ),
    );
  };
  render();
}
