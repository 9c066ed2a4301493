import { clearCallbackFragment, handleCallback } from '@grantkit/smithcart';
import { saveConnection } from './connection.js';
import { h, message } from './dom.js';
import { errorMessage, reportUnexpected } from './messages.js';

const root = document.getElementById('callback-result');
const href = location.href;
// The token leaves the address bar and the history entry before anything else runs.
clearCallbackFragment();

handleCallback(href).then(
  ({ token, granted, denied }) => {
    saveConnection({ token, granted: granted.toString(), denied: denied.toString() });
    location.replace('/');
  },
  (error: unknown) => {
    reportUnexpected(error, 'Finishing the SmithCart connection', location.pathname);
    root?.replaceChildren(
      message('error', errorMessage(error)),
      h('p', {}, h('a', { href: '/', class: 'button' }, 'Back to the demo')),
    );
  },
);
