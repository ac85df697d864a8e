// The header's search: results as you type (debounced, the late answers of older words dropped), as an ARIA 1.2
// combobox with a listbox: arrows move through the suggestions, Enter opens one, Escape closes the list, and Enter
// on the words alone lists every match on the catalog page (`?q=`).
import { useEffect, useRef, useState } from "preact/hooks";
import { execute } from "./api";
import { Picture, PriceRange } from "./components";
import { SearchSuggestDocument, type SearchSuggestQuery } from "./gql/graphql";
import { useBrowseText } from "./i18n-browse";
import { navigate, usePlace } from "./router";
import { useShop } from "./state";
import "./browse.css";

const DEBOUNCE_MS = 180;
type Suggestion = SearchSuggestQuery["products"]["edges"][number]["node"];

export function SearchBox() {
  const { storefront, currency, lang } = useShop();
  const words = useBrowseText();
  const place = usePlace();
  const [text, setText] = useState(() => place.query.get("q") ?? "");
  const [found, setFound] = useState<{ items: Suggestion[]; total: number } | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const asked = useRef(0);

  useEffect(() => {
    const wanted = text.trim();
    if (wanted.length < 2) {
      setFound(null);
      return;
    }
    const ticket = ++asked.current;
    const timer = setTimeout(() => {
      execute(storefront.slug, SearchSuggestDocument, { search: wanted, currency, language: lang }).then(
        ({ products }) => {
          if (ticket !== asked.current) return; // a newer word is on its way
          setFound({ items: products.edges.map((edge) => edge.node), total: products.totalCount });
          setActive(-1);
        },
        () => ticket === asked.current && setFound(null),
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, currency, lang, storefront.slug]);

  const items = found?.items ?? [];
  const expanded = open && found !== null;

  function choose(item: Suggestion) {
    setOpen(false);
    navigate(`p/${encodeURIComponent(item.slug)}`);
  }

  function submit(event: Event) {
    event.preventDefault();
    if (expanded && active >= 0 && items[active]) return choose(items[active]);
    setOpen(false);
    const wanted = text.trim();
    navigate(wanted ? `?q=${encodeURIComponent(wanted)}` : "");
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!expanded) return setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      // -1 is the words themselves: past the last suggestion, focus comes back to them
      setActive((now) => {
        const next = now + step;
        return next >= items.length ? -1 : next < -1 ? items.length - 1 : next;
      });
    } else if (event.key === "Escape" && expanded) {
      event.preventDefault(); // the first Escape closes the list and keeps the words (a second one clears them)
      setOpen(false);
    }
  }

  const current = active < items.length ? active : -1;
  return (
    <form class="search" role="search" onSubmit={submit} aria-label={words.search}>
      <input
        type="search"
        role="combobox"
        list={undefined}
        aria-label={words.search}
        placeholder={words.search}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls="search-listbox"
        aria-activedescendant={expanded && current >= 0 ? `search-option-${current}` : undefined}
        autocomplete="off"
        value={text}
        onInput={(event) => {
          setText(event.currentTarget.value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        data-testid="search"
      />
      <button type="submit" class="search-go">
        {words.searchButton}
      </button>
      <ul id="search-listbox" role="listbox" aria-label={words.suggestions} class="suggestions" hidden={!expanded}>
        {items.map((item, index) => (
          <li
            key={item.id}
            id={`search-option-${index}`}
            role="option"
            aria-selected={index === current}
            class={index === current ? "active" : undefined}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => choose(item)}
          >
            <Picture url={item.thumbnail?.url} alt="" name={item.name} class="suggestion-picture" />
            <span class="suggestion-name">{item.name}</span>
            <span class="suggestion-price">
              <PriceRange start={item.pricing.priceRange.start ?? null} stop={item.pricing.priceRange.stop ?? null} />
            </span>
          </li>
        ))}
        {found !== null && items.length === 0 && (
          <li role="option" aria-disabled="true" aria-selected="false" class="suggestion-none">
            {words.noMatches}
          </li>
        )}
      </ul>
      <span class="visually-hidden" role="status">
        {expanded && found ? (found.total === 0 ? words.noMatches : words.allResults(found.total)) : ""}
      </span>
    </form>
  );
}
