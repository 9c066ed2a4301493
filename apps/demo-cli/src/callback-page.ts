/**
 * The page the browser lands on after SmithCart's redirect. The access token is
 * in the URL fragment, which browsers never send to a server, so the page's
 * script posts the fragment back to the command line, then removes it from the
 * address bar and history. The script and the stylesheet are separate files so
 * that the Content-Security-Policy can forbid every inline script and style.
 */
export const callbackHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>grantkit-demo sign-in</title>
<link rel="stylesheet" href="/callback.css">
<script src="/callback.js" defer></script>
</head>
<body>
<main>
<h1>grantkit-demo</h1>
<p id="status" role="status">Handing the authorization back to the command line…</p>
<noscript><p>This page needs JavaScript to pass the authorization to the command line.</p></noscript>
</main>
</body>
</html>
`;

export const callbackScript = `'use strict';
(function () {
  var status = document.getElementById('status');
  var fragment = location.hash.slice(1);
  // Take the token out of the address bar and of the history entry before anything else.
  history.replaceState(null, '', location.pathname);
  function show(outcome, message) {
    status.textContent = message;
    document.body.setAttribute('data-outcome', outcome);
  }
  if (!fragment) {
    show('empty', 'This address carries no authorization response. Return to the terminal and run the sign-in again.');
    return;
  }
  fetch('/callback', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fragment: fragment }),
    cache: 'no-store',
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
  })
    .then(function (response) {
      return response.json();
    })
    .then(function (result) {
      show(result.ok ? 'success' : 'failure', String(result.message));
    })
    .catch(function () {
      show('failure', 'The command line is no longer listening (it may have timed out). Return to the terminal.');
    });
})();
`;

export const callbackCss = `body { font: 16px/1.5 system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; }
main { max-width: 32rem; padding: 2rem; }
h1 { font-size: 1.25rem; }
[data-outcome="success"] #status { color: #116329; }
[data-outcome="failure"] #status, [data-outcome="empty"] #status { color: #a40e26; }
`;

/** Headers of every answer of the listener: nothing cached, nothing framed, nothing inline, no referrer. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
