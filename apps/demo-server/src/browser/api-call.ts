import { h } from './dom.js';

type CallAnswer =
  | { signedIn: true; sample: { ok: true; body: unknown } | { ok: false; error: string } }
  | { signedIn: false };

function failure(text: string): HTMLElement {
  return h('p', { class: 'message error', role: 'alert' }, text);
}

/**
 * "Call the API again" without leaving the page: posts the form with
 * `fetch` and shows the answer in `result`, while the token timeline shows
 * what the call did with the token. A session that ended reloads the page,
 * which says why.
 */
export function mountApiCall(form: HTMLFormElement, result: HTMLElement): void {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        headers: { accept: 'application/json' },
        body: new URLSearchParams(),
      });
      const answer = (await response.json()) as CallAnswer;
      if (!answer.signedIn) {
        location.assign('/');
        return;
      }
      result.replaceChildren(
        answer.sample.ok
          ? h(
              'pre',
              { class: 'json', 'data-testid': 'smartconnect-sample' },
              JSON.stringify(answer.sample.body, null, 2),
            )
          : failure(answer.sample.error),
      );
    } catch {
      result.replaceChildren(failure('The demo server could not be reached. Check that it runs, then retry.'));
    } finally {
      if (button) button.disabled = false;
    }
  });
}
