// The accounts the host's mocks know. Canaries, with characters that change under URL and form encoding,
// so that a leak shows in any encoding the leak checks look for.
export const SMARTCONNECT_USER = { username: 'matrix@example.com', password: 'pw LEAK+canary/3f9a1c!' } as const;
export const SMARTCONNECT_CLIENT = { clientId: 'matrix-client', clientSecret: 'cs&LEAK=canary%7e42d0' } as const;
export const WRONG_PASSWORD = 'pw WRONG+canary/8d21b6?';
/** Items per page of the SmithCart mock, small so that a collection spans several pages. */
export const SMITHCART_PAGE_SIZE = 2;
