import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError, execute } from "./api";
import { loadCart, recurrency } from "./cart";
import { ShopDocument, type CartFragment, type ShopQuery } from "./gql/graphql";
import { isLang, LANGUAGE_NAMES, LANGUAGES, MESSAGES, pickLanguage, RTL, type Lang } from "./i18n";
import { ACCOUNT_LINK, AccountPage, ConfigurePage, speak } from "./lazy";
import { CartPage } from "./pages/cart";
import { Catalog } from "./pages/catalog";
import { CheckoutPage } from "./pages/checkout";
import { OrderPage } from "./pages/order";
import { ProductPage } from "./pages/product";
import { interceptLinks, usePlace } from "./router";
import { SearchBox } from "./search";
import { recall, remember, ShopContext, useShop, type Shop } from "./state";
import { applyTheme } from "./theme";
import "./styles.css";

function App() {
  const place = usePlace();
  const { storefront } = place;
  const [data, setData] = useState<ShopQuery | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [lang, setLangState] = useState<Lang>(() => {
    const saved = recall(storefront, "lang");
    return isLang(saved) ? saved : "id";
  });
  const [currency, setCurrencyState] = useState<string>(() => recall(storefront, "currency") ?? "");
  const [cart, setCart] = useState<CartFragment | null>(null);

  useEffect(() => {
    execute(storefront, ShopDocument, { language: lang })
      .then((shop) => {
        setData(shop);
        if (recall(storefront, "lang") === null) setLangState(pickLanguage(shop.storefront.languages));
        if (!shop.storefront.currencies.includes(currency)) setCurrencyState(shop.storefront.defaultCurrency);
      })
      .catch((error: unknown) => setFailure(error instanceof ApiError ? error.code : "ERROR"));
  }, [storefront, lang]);

  useEffect(() => {
    loadCart(storefront).then(setCart, () => setCart(null));
  }, [storefront]);

  useEffect(() => {
    document.documentElement.lang = lang;
    speak(lang);
    document.documentElement.dir = RTL.has(lang) ? "rtl" : "ltr";
  }, [lang]);

  useEffect(() => {
    if (data) {
      applyTheme(data.storefront.theme.primaryColor);
      document.title = data.storefront.name;
    }
  }, [data]);

  const shop = useMemo<Shop | null>(() => {
    if (data === null || currency === "") return null;
    return {
      storefront: data.storefront,
      categories: data.categories,
      base: place.base,
      lang,
      t: MESSAGES[lang],
      currency,
      cart,
      setCart,
      setLang(next) {
        remember(storefront, "lang", next);
        setLangState(next);
      },
      setCurrency(next) {
        remember(storefront, "currency", next);
        setCurrencyState(next);
        if (cart !== null) recurrency(storefront, cart, next, lang).then((changed) => setCart(changed.cart));
      },
    };
  }, [data, lang, currency, cart, place.base]);

  if (failure !== null) {
    const t = MESSAGES[lang];
    return (
      <main class="page narrow" id="main">
        <h1>{failure === "STOREFRONT_NOT_FOUND" ? t.storefrontNotFound : t.error}</h1>
      </main>
    );
  }
  if (shop === null) return <p class="loading" role="status">…</p>;
  return (
    <ShopContext.Provider value={shop}>
      <a class="skip" href="#main">
        {shop.t.skip}
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        <Page route={place.route} />
      </main>
      <footer class="footer">
        <p dir="auto">{shop.storefront.description}</p>
        <p class="small">Lini</p>
      </footer>
    </ShopContext.Provider>
  );
}

function Page(props: { route: string[] }) {
  const [section, slug] = props.route;
  const { t } = useShop();
  if (section === undefined) return <Catalog category={null} />;
  if (section === "c" && slug) return <Catalog category={slug} key={slug} />;
  if (section === "p" && slug) return <ProductPage slug={slug} key={slug} />;
  if (section === "cart") return <CartPage />;
  if (section === "checkout") return <CheckoutPage />;
  if (section === "order" && slug) return <OrderPage number={Number(slug)} />;
  if (section === "m" && slug) return <ConfigurePage slug={slug} key={slug} />;
  if (section === "account") return <AccountPage route={props.route} />;
  return (
    <div class="page narrow">
      <h1>{t.notFound}</h1>
    </div>
  );
}

function Header() {
  const shop = useShop();
  const { storefront, t, base } = shop;
  const [logoFailed, setLogoFailed] = useState(false);
  const count = shop.cart?.quantity ?? 0;
  return (
    <header class="header">
      <div class="header-inner">
        <a class="brand" href={base}>
          {storefront.logoUrl && !logoFailed ? (
            <img class="logo" src={storefront.logoUrl} alt="" onError={() => setLogoFailed(true)} />
          ) : (
            <span class="logo logo-letter" aria-hidden="true">
              {storefront.name[0]}
            </span>
          )}
          <span class="brand-name">{storefront.name}</span>
        </a>
        <SearchBox />
        <div class="switches">
          <label>
            <span class="label">{t.language}</span>
            <select
              value={shop.lang}
              onChange={(event) => shop.setLang(event.currentTarget.value as Lang)}
              data-testid="language"
            >
              {LANGUAGES.map((code) => (
                <option value={code} lang={code} key={code}>
                  {LANGUAGE_NAMES[code]}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span class="label">{t.currency}</span>
            <select
              value={shop.currency}
              onChange={(event) => shop.setCurrency(event.currentTarget.value)}
              data-testid="currency"
            >
              {storefront.currencies.map((code) => (
                <option value={code} key={code}>
                  {code}
                </option>
              ))}
            </select>
          </label>
          <a class="account-link" href={`${base}account`}>
            {ACCOUNT_LINK[shop.lang]}
          </a>
          <a class="cart-link" href={`${base}cart`} aria-label={t.cartCount(count)}>
            <span aria-hidden="true">{t.cart}</span>{" "}
            <span class="badge" aria-hidden="true">
              {count}
            </span>
          </a>
        </div>
      </div>
      <nav class="categories" aria-label={t.categories}>
        <ul>
          <li>
            <a href={base}>{t.allProducts}</a>
          </li>
          {shop.categories
            .filter((category) => category.level === 0)
            .map((category) => (
              <li key={category.slug}>
                <a href={`${base}c/${encodeURIComponent(category.slug)}`}>{category.name}</a>
              </li>
            ))}
        </ul>
      </nav>
    </header>
  );
}

interceptLinks();
render(<App />, document.getElementById("app")!);
