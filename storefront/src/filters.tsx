// The catalog's filters: sizes, colours, the brand's CHOICE attributes (fabric…) and a price range, offered from
// `productFacets`. Each facet is counted under the page's category and search and the shopper's other choices (not
// its own), so a count says how many products ticking it would add and its alternatives stay listed.
import { useEffect, useRef, useState } from "preact/hooks";
import { execute } from "./api";
import { FacetsDocument, type FacetsQuery, type ProductFilter } from "./gql/graphql";
import { useBrowseText } from "./i18n-browse";
import { useShop } from "./state";

export interface Chosen {
  sizes: string[];
  colours: string[];
  attributes: Record<string, string[]>;
  priceMin: string;
  priceMax: string;
}

export const NOTHING_CHOSEN: Chosen = { sizes: [], colours: [], attributes: {}, priceMin: "", priceMax: "" };

export function isEmpty(chosen: Chosen): boolean {
  return (
    chosen.sizes.length + chosen.colours.length + Object.values(chosen.attributes).flat().length === 0 &&
    chosen.priceMin === "" &&
    chosen.priceMax === ""
  );
}

// The filters live in the page's address (`?size=M&colour=Sage&a.fabric=LINEN&min=100000`), so a reload, a shared
// link or Back from a product keep them.
const ATTRIBUTE = "a.";

export function chosenFrom(query: URLSearchParams): Chosen {
  const attributes: Record<string, string[]> = {};
  for (const [name, value] of query) {
    if (name.startsWith(ATTRIBUTE) && name.length > ATTRIBUTE.length)
      (attributes[name.slice(ATTRIBUTE.length)] ??= []).push(value);
  }
  return {
    sizes: query.getAll("size"),
    colours: query.getAll("colour"),
    attributes,
    priceMin: query.get("min") ?? "",
    priceMax: query.get("max") ?? "",
  };
}

/** The query with `chosen` in place of the filters it had; the rest (the search `q`) is kept. */
export function queryWith(query: URLSearchParams, chosen: Chosen): URLSearchParams {
  const next = new URLSearchParams();
  for (const [name, value] of query) {
    if (!["size", "colour", "min", "max"].includes(name) && !name.startsWith(ATTRIBUTE)) next.append(name, value);
  }
  chosen.sizes.forEach((size) => next.append("size", size));
  chosen.colours.forEach((colour) => next.append("colour", colour));
  for (const [code, values] of Object.entries(chosen.attributes)) values.forEach((v) => next.append(ATTRIBUTE + code, v));
  if (chosen.priceMin) next.set("min", chosen.priceMin);
  if (chosen.priceMax) next.set("max", chosen.priceMax);
  return next;
}

/** The page's own filter (category, search) narrowed by what the shopper ticked. */
export function withChosen(base: ProductFilter, chosen: Chosen): ProductFilter {
  const attributes = Object.entries(chosen.attributes)
    .filter(([, values]) => values.length > 0)
    .map(([code, values]) => ({ code, values }));
  const price = chosen.priceMin || chosen.priceMax ? { gte: chosen.priceMin || null, lte: chosen.priceMax || null } : null;
  return {
    ...base,
    ...(chosen.sizes.length ? { sizes: chosen.sizes } : {}),
    ...(chosen.colours.length ? { colours: chosen.colours } : {}),
    ...(attributes.length ? { attributes } : {}),
    ...(price ? { price } : {}),
  };
}

function countChosen(chosen: Chosen): number {
  const price = chosen.priceMin || chosen.priceMax ? 1 : 0;
  return chosen.sizes.length + chosen.colours.length + Object.values(chosen.attributes).flat().length + price;
}

const NARROW = "(max-width: 48rem)"; // where browse.css puts the filters above the products

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => matchMedia(NARROW).matches);
  useEffect(() => {
    const media = matchMedia(NARROW);
    const update = () => setNarrow(media.matches);
    media.addEventListener("change", update);
    return () => media.removeEventListener("change", update);
  }, []);
  return narrow;
}

function toggled(list: string[], value: string, on: boolean): string[] {
  return on ? [...list, value] : list.filter((item) => item !== value);
}

/** Each facet's filter: the page's and the shopper's, less the facet's own choice. */
function facetFilters(base: ProductFilter, chosen: Chosen) {
  return {
    forSizes: withChosen(base, { ...chosen, sizes: [] }),
    forColours: withChosen(base, { ...chosen, colours: [] }),
    forAttributes: withChosen(base, { ...chosen, attributes: {} }),
    forPrice: withChosen(base, { ...chosen, priceMin: "", priceMax: "" }),
  };
}

type Entry = { value: string; label: string; count: number };

/** A ticked value the other choices leave no product for stays listed (at 0, by the label it had), so it can be
 * unticked. */
function keepTicked(entries: Entry[], ticked: string[], labelOf: (value: string) => string): Entry[] {
  const listed = new Set(entries.map((entry) => entry.value));
  const gone = ticked.filter((value) => !listed.has(value));
  return [...entries, ...gone.map((value) => ({ value, label: labelOf(value), count: 0 }))];
}

export function Filters(props: { base: ProductFilter; chosen: Chosen; onChange(chosen: Chosen): void }) {
  const { storefront, currency, lang } = useShop();
  const words = useBrowseText();
  const { t } = useShop();
  const [facets, setFacets] = useState<FacetsQuery | null>(null);
  const asked = useRef(0);
  // the labels (and attribute names) seen so far, for ticked values a later answer no longer lists
  const labels = useRef(new Map<string, string>());
  const { chosen, onChange } = props;
  const filters = facetFilters(props.base, chosen);
  const key = JSON.stringify(filters);

  const [busy, setBusy] = useState(true);
  // on a phone the filters fold under their title, so the products come first; wider, they stay open beside them
  const narrow = useNarrow();
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const ticket = ++asked.current;
    setBusy(true);
    // the facets shown stay until the new ones are in (or when asking fails), so the boxes do not jump
    execute(storefront.slug, FacetsDocument, { ...filters, currency, language: lang })
      .then(
        (answer) => ticket === asked.current && setFacets(answer),
        () => undefined,
      )
      .finally(() => ticket === asked.current && setBusy(false));
  }, [key, currency, lang, storefront.slug]);

  if (facets === null) return null;
  const groups: { key: string; legend: string; values: Entry[] }[] = [
    { key: "size", legend: t.size, values: facets.sizes.sizes.map((v) => ({ ...v, label: v.value })) },
    { key: "colour", legend: t.colour, values: facets.colours.colours.map((v) => ({ ...v, label: v.value })) },
    ...facets.attributes.attributes.map((facet) => ({
      key: `attr:${facet.attribute.code}`,
      legend: facet.attribute.name,
      values: facet.choices.map((choice) => ({ value: choice.code, label: choice.label, count: choice.count })),
    })),
  ];
  for (const group of groups) {
    labels.current.set(group.key, group.legend);
    for (const entry of group.values) labels.current.set(`${group.key}=${entry.value}`, entry.label);
  }
  // an attribute ticked that the other choices leave no product for keeps its box too
  for (const [code, values] of Object.entries(chosen.attributes)) {
    const key = `attr:${code}`;
    if (values.length > 0 && !groups.some((group) => group.key === key))
      groups.push({ key, legend: labels.current.get(key) ?? code, values: [] });
  }

  function ticked(key: string): string[] {
    if (key === "size") return chosen.sizes;
    if (key === "colour") return chosen.colours;
    return chosen.attributes[key.slice(5)] ?? [];
  }

  function tick(key: string, value: string, on: boolean) {
    if (key === "size") onChange({ ...chosen, sizes: toggled(chosen.sizes, value, on) });
    else if (key === "colour") onChange({ ...chosen, colours: toggled(chosen.colours, value, on) });
    else {
      const code = key.slice(5);
      onChange({ ...chosen, attributes: { ...chosen.attributes, [code]: toggled(ticked(key), value, on) } });
    }
  }

  const low = facets.price.priceRange.start?.amount;
  const high = facets.price.priceRange.stop?.amount;
  return (
    <aside class="filters" aria-label={words.filters} aria-busy={busy} data-testid="filters">
      <h2 class="filters-title">
        {narrow ? (
          <button
            type="button"
            class="filters-toggle"
            aria-expanded={open}
            aria-controls="filter-body"
            onClick={() => setOpen(!open)}
          >
            {words.filters}
            {!isEmpty(chosen) && ` (${countChosen(chosen)})`}
          </button>
        ) : (
          words.filters
        )}
      </h2>
      <div id="filter-body" class="filter-body" hidden={narrow && !open}>
        {groups
          .map((group) => ({
            ...group,
            values: keepTicked(group.values, ticked(group.key), (v) => labels.current.get(`${group.key}=${v}`) ?? v),
          }))
          .filter((group) => group.values.length > 0)
          .map((group) => (
            <fieldset key={group.key} class="filter-group">
              <legend>{group.legend}</legend>
              {group.values.map((entry) => (
                <label key={entry.value} class="filter-option">
                  <input
                    type="checkbox"
                    value={entry.value}
                    checked={ticked(group.key).includes(entry.value)}
                    onChange={(event) => tick(group.key, entry.value, event.currentTarget.checked)}
                  />
                  <span>{entry.label}</span>
                  <span class="muted small" aria-hidden="true">
                    {entry.count}
                  </span>
                </label>
              ))}
            </fieldset>
          ))}
        {low !== undefined && high !== undefined && (
          <fieldset class="filter-group">
            <legend>
              {words.price} ({currency})
            </legend>
            <div class="price-inputs">
              <label>
                <span class="small">{words.priceMin}</span>
                <input
                  type="number"
                  inputMode="numeric"
                  min="0"
                  placeholder={String(Math.floor(Number(low)))}
                  value={chosen.priceMin}
                  onChange={(event) => onChange({ ...chosen, priceMin: event.currentTarget.value })}
                />
              </label>
              <label>
                <span class="small">{words.priceMax}</span>
                <input
                  type="number"
                  inputMode="numeric"
                  min="0"
                  placeholder={String(Math.ceil(Number(high)))}
                  value={chosen.priceMax}
                  onChange={(event) => onChange({ ...chosen, priceMax: event.currentTarget.value })}
                />
              </label>
            </div>
          </fieldset>
        )}
        {!isEmpty(chosen) && (
          <button type="button" class="button secondary" onClick={() => onChange(NOTHING_CHOSEN)}>
            {words.clearFilters}
          </button>
        )}
      </div>
    </aside>
  );
}
