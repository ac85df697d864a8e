// The made-to-measure configurator and the account pages are chunks of their own (dynamic import), loaded
// when first visited, so the catalogue and product pages do not carry them.
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { session } from "./api";
import "./auth";
import type { Lang } from "./i18n";

type Loader<Props> = () => Promise<ComponentType<Props>>;

export function lazyPage<Props extends object>(load: Loader<Props>): ComponentType<Props> {
  let loaded: ComponentType<Props> | null = null;
  return function Lazy(props: Props) {
    const [Page, setPage] = useState<ComponentType<Props> | null>(() => loaded);
    useEffect(() => {
      if (loaded === null)
        load().then((component) => {
          loaded = component;
          setPage(() => component);
        });
    }, []);
    return Page === null ? <p class="loading" role="status">…</p> : <Page {...props} />;
  };
}

export const ConfigurePage = lazyPage<{ slug: string }>(() => import("./pages/configure").then((m) => m.ConfigurePage));
export const AccountPage = lazyPage<{ route: string[] }>(() => import("./pages/account").then((m) => m.AccountPage));

/** The header's link to the account, in the shop's language (its pages' words load with them). */
export const ACCOUNT_LINK: Record<Lang, string> = { id: "Akun", en: "Account", ms: "Akaun", ar: "الحساب" };

/** Lini answers nested texts (a profile's garment type, its labels) in the `Accept-Language` it is sent. */
export function speak(lang: Lang): void {
  session.language = lang;
}
