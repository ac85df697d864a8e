// A router of a few lines: the app lives under /shop/<brand>/ (Lini serves index.html for every path below
// it), reads the brand from that first segment and keeps everything after it as its own route.
import { useEffect, useState } from "preact/hooks";

export interface Place {
  storefront: string;
  base: string; // "/shop/<brand>/"
  route: string[]; // the path after the base, split: [] home, ["p", slug] a product, …
  query: URLSearchParams;
}

export function here(): Place {
  const match = /^\/shop\/([^/]+)\/?(.*)$/.exec(location.pathname);
  const storefront = decodeURIComponent(match?.[1] ?? "");
  const rest = match?.[2] ?? "";
  return {
    storefront,
    base: `/shop/${encodeURIComponent(storefront)}/`,
    route: rest.split("/").filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(location.search),
  };
}

const listeners = new Set<() => void>();

/** Go to a path under the shop's base (e.g. "p/gamis-…"), as a link would, without reloading. */
export function navigate(path: string): void {
  history.pushState(null, "", here().base + path);
  scrollTo(0, 0);
  listeners.forEach((listener) => listener());
}

/** Change the query of the page shown (a catalog's filters) in place: no new history entry, no scroll. */
export function replaceQuery(query: URLSearchParams): void {
  const search = query.toString();
  history.replaceState(null, "", location.pathname + (search ? `?${search}` : ""));
  listeners.forEach((listener) => listener());
}

export function usePlace(): Place {
  const [place, setPlace] = useState(here);
  useEffect(() => {
    const update = () => setPlace(here());
    listeners.add(update);
    addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      removeEventListener("popstate", update);
    };
  }, []);
  return place;
}

/** Same-origin links inside the shop are followed by the router; modified clicks open as usual. */
export function interceptLinks(): void {
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const anchor = (event.target as Element).closest("a");
    if (!anchor || anchor.target || anchor.origin !== location.origin) return;
    const base = here().base;
    if (!anchor.pathname.startsWith(base)) return;
    event.preventDefault();
    navigate(anchor.pathname.slice(base.length) + anchor.search);
  });
}
