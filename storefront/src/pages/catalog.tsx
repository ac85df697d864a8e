import { useEffect, useRef, useState } from "preact/hooks";
import { execute } from "../api";
import { Loading, Picture, PriceRange } from "../components";
import { chosenFrom, Filters, isEmpty, queryWith, withChosen, type Chosen } from "../filters";
import { CatalogDocument, type ProductCardFragment, type ProductFilter } from "../gql/graphql";
import { useBrowseText } from "../i18n-browse";
import { replaceQuery, usePlace } from "../router";
import { useShop } from "../state";

const PAGE_SIZE = 12;

/** The home page (every product), a category's or a search's (`?q=`), a page at a time by keyset
 * (`after: endCursor`), narrowed by the filters beside it. */
export function Catalog(props: { category: string | null }) {
  const shop = useShop();
  const { t, lang, currency, storefront } = shop;
  const words = useBrowseText();
  const place = usePlace();
  const search = place.query.get("q")?.trim() || null;
  // the filters ticked are the address's (see filters.tsx): another category or search starts without them
  const chosen = chosenFrom(place.query);
  const setChosen = (next: Chosen) => replaceQuery(queryWith(place.query, next));
  const shownCurrency = useRef(currency);
  const [cards, setCards] = useState<ProductCardFragment[] | null>(null);
  const [total, setTotal] = useState(0);
  const [next, setNext] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const firstNew = useRef<number | null>(null);
  const asked = useRef(0);
  const grid = useRef<HTMLUListElement>(null);
  const base: ProductFilter = {
    ...(props.category ? { categorySlug: props.category } : {}),
    ...(search ? { search } : {}),
  };
  const filter = withChosen(base, chosen);

  async function load(after: string | null) {
    // filters ticked quickly ask again before the last answer is in: only the newest question's answer is shown
    const ticket = ++asked.current;
    setBusy(true);
    try {
      const { products } = await execute(storefront.slug, CatalogDocument, {
        first: PAGE_SIZE,
        after,
        filter,
        currency,
        language: lang,
      });
      if (ticket !== asked.current) return;
      const page = products.edges.map((edge) => edge.node);
      firstNew.current = after === null ? null : (cards?.length ?? 0);
      setCards((before) => (after === null ? page : [...(before ?? []), ...page]));
      setTotal(products.totalCount);
      setNext(products.pageInfo.hasNextPage ? (products.pageInfo.endCursor ?? null) : null);
      setFailed(false);
    } catch {
      if (ticket === asked.current) setFailed(true);
    } finally {
      if (ticket === asked.current) setBusy(false);
    }
  }

  // a price range is in one currency: another one starts the range afresh
  useEffect(() => {
    if (shownCurrency.current === currency) return;
    shownCurrency.current = currency;
    if (chosen.priceMin || chosen.priceMax) setChosen({ ...chosen, priceMin: "", priceMax: "" });
  }, [currency]);

  useEffect(() => {
    load(null);
  }, [props.category, search, lang, currency, JSON.stringify(chosen)]);

  useEffect(() => {
    // after "show more", focus moves to the first new card so keyboard and screen-reader users go on from there
    if (firstNew.current !== null) {
      grid.current?.querySelectorAll<HTMLAnchorElement>("a.card")[firstNew.current]?.focus();
      firstNew.current = null;
    }
  }, [cards]);

  const title = search
    ? words.resultsFor(search)
    : props.category
      ? (shop.categories.find((category) => category.slug === props.category)?.name ?? props.category)
      : t.allProducts;
  const children = props.category
    ? shop.categories.filter((category) => category.parent?.slug === props.category)
    : [];

  return (
    <div class="page">
      <div class="page-head">
        <h1>{title}</h1>
        {cards !== null && (
          <p class="muted" role="status" data-testid="count">
            {t.products(total)}
          </p>
        )}
      </div>
      {children.length > 0 && (
        <ul class="chips">
          {children.map((category) => (
            <li key={category.slug}>
              <a href={`${shop.base}c/${encodeURIComponent(category.slug)}`}>{category.name}</a>
            </li>
          ))}
        </ul>
      )}
      {failed && (
        <p class="problems" role="alert">
          {t.error}
        </p>
      )}
      <div class="browse">
        <Filters base={base} chosen={chosen} onChange={setChosen} />
        <div class="browse-results">
          {cards === null ? (
            !failed && <Loading />
          ) : cards.length === 0 ? (
            <p class="muted" data-testid="nothing-found">
              {isEmpty(chosen) ? words.noMatches : words.nothingFound}
            </p>
          ) : (
            <ul class="grid" ref={grid}>
              {cards.map((card, index) => (
                <li key={card.id}>
                  <Card card={card} eager={index < 4} />
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      {next !== null && (
        <div class="more">
          <button type="button" class="button secondary" onClick={() => load(next)} disabled={busy} aria-busy={busy}>
            {busy ? t.loading : t.loadMore}
          </button>
        </div>
      )}
    </div>
  );
}

function Card(props: { card: ProductCardFragment; eager: boolean }) {
  const { base, t } = useShop();
  const { card } = props;
  const range = card.pricing.priceRange;
  return (
    <a class="card" href={`${base}p/${encodeURIComponent(card.slug)}`} data-testid="product-card">
      <Picture url={card.thumbnail?.url} alt={card.thumbnail?.alt ?? ""} name={card.name} eager={props.eager} />
      <span class="card-name">{card.name}</span>
      <span class="card-price">
        <PriceRange start={range.start ?? null} stop={range.stop ?? null} />
      </span>
      {card.madeToMeasure ? (
        <span class="tag">{t.madeToMeasure}</span>
      ) : (
        !card.isAvailable && <span class="tag">{t.soldOut}</span>
      )}
    </a>
  );
}
