type Child = Node | string | number | false | undefined;
type Attributes = Record<string, string | boolean | undefined | ((event: Event) => void)>;

/** Builds an element without HTML parsing: text stays text, so provider data cannot inject markup. */
export function h(tag: string, attributes: Attributes = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === false || child === undefined) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A status line; `role="alert"` for errors so that screen readers announce them. */
export function message(kind: 'ok' | 'error' | 'info', text: string): HTMLElement {
  return h(
    'p',
    { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': 'smithcart-message' },
    text,
  );
}
