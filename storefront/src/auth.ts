// Signing in. Lini answers a JWT pair: an access token (15 minutes) and a single-use refresh token (30 days).
// Where they are kept is a choice between surviving a reload and what a script injected into the page could
// take: the access token stays in memory only (module state, sent as `Authorization: Bearer`), and the refresh
// token in sessionStorage, per brand — it survives a reload of the tab, not the tab's closing, and other tabs
// and later visits do not see it (localStorage would keep a 30-day credential on a shared computer; an HttpOnly
// cookie would need a cookie endpoint Lini's API does not have). After a reload the first request renews the
// pair; every renewal rotates the refresh token (a stolen one that is used twice revokes the whole chain).
import { execute, session, type Problem } from "./api";
import { RefreshDocument, SignInDocument, SignOutDocument } from "./gql/graphql";
import { here } from "./router";

const listeners = new Set<() => void>();

function storeKey(): string {
  return `lini:${here().storefront}:refresh`;
}

function stored(): string | null {
  try {
    return sessionStorage.getItem(storeKey());
  } catch {
    return null;
  }
}

function keep(refreshToken: string | null): void {
  try {
    if (refreshToken === null) sessionStorage.removeItem(storeKey());
    else sessionStorage.setItem(storeKey(), refreshToken);
  } catch {
    // storage refused (private mode): signed in until the page is reloaded
  }
}

function signedIn(token: string | null, refreshToken: string | null): void {
  session.bearer = token;
  keep(refreshToken);
  listeners.forEach((listener) => listener());
}

let renewing: Promise<boolean> | null = null;

/** A new pair from the stored refresh token; false (and signed out) when it is spent, revoked or expired. */
function renew(): Promise<boolean> {
  const refreshToken = stored();
  if (refreshToken === null) return Promise.resolve(false);
  // one renewal at a time: the refresh token is single use
  renewing ??= execute(here().storefront, RefreshDocument, { refreshToken }, { anonymous: true })
    .then(({ tokenRefresh }) => {
      const ok = tokenRefresh.token !== null && tokenRefresh.refreshToken !== null;
      signedIn(ok ? tokenRefresh.token : null, ok ? tokenRefresh.refreshToken : null);
      return ok;
    })
    .catch(() => false)
    .finally(() => {
      renewing = null;
    });
  return renewing;
}

let restored = false;

session.renew = renew;
session.restore = async () => {
  if (restored) return;
  restored = true;
  if (session.bearer === null && stored() !== null) await renew();
};

export function isSignedIn(): boolean {
  return session.bearer !== null;
}

/** Re-render on signing in or out. */
export function onSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function signIn(email: string, password: string): Promise<Problem[]> {
  const { tokenCreate } = await execute(here().storefront, SignInDocument, { input: { email, password } }, {
    anonymous: true,
  });
  if (tokenCreate.token && tokenCreate.refreshToken) signedIn(tokenCreate.token, tokenCreate.refreshToken);
  return tokenCreate.errors;
}

export async function signOut(): Promise<void> {
  const refreshToken = stored();
  signedIn(null, null);
  if (refreshToken !== null)
    await execute(here().storefront, SignOutDocument, { refreshToken }, { anonymous: true }).catch(() => undefined);
}
