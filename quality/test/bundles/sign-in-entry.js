// The SmithCart sign-in of quality/bench/smithcart-bundle-size.ts, plus the error surface an app branches on.
import { clearCallbackFragment, createAuthorizationRequest, handleCallback } from '@grantkit/smithcart';

export { GrantKitError, isGrantKitError, OAuthError, StateMismatchError } from '@grantkit/smithcart';

export async function connect(redirectUri) {
  const { url } = await createAuthorizationRequest({
    baseUrl: 'https://api.example.com',
    clientId: 'Y2XPZW50Q31A',
    redirectUri,
    scope: 'private orders',
  });
  location.assign(url);
}

export async function callback() {
  try {
    return await handleCallback(location.href);
  } finally {
    clearCallbackFragment();
  }
}
