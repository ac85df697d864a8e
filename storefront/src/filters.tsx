// The catalog's filters: sizes, colours, the brand's CHOICE attributes (fabric…) and a price range, offered from
// `productFacets` for what the page lists before filtering (its category and search), so every box finds something.
import { useEffect, useState } from "preact/hooks";
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

function toggled(list: string[], value: string, on: boolean): string[] {
  return on ? [...list, value] : list.filter((item) => item !== value);
}

export function Filters(props: { base: ProductFilter; chosen: Chosen; onChange(chosen: Chosen): void }) {
  const { storefront, currency, lang } = useShop();
  const words = useBrowseText();
  const { t } = useShop();
  const [facets, setFacets] = useState<FacetsQuery["productFacets"] | null>(null);
  const { chosen, onChange } = props;
  const baseKey = JSON.stringify(props.base);

  useEffect(() => {
    execute(storefront.slug, FacetsDocument, { filter: props.base, currency, language: lang }).then(
      (answer) => setFacets(answer.productFacets),
      () => setFacets(null),
    );
  }, [baseKey, currency, lang, storefront.slug]);

  if (facets === null) return null;
  const groups: { key: string; legend: string; values: { value: string; label: string; count: number }[] }[] = [
    { key: "size", legend: t.size, values: facets.sizes.map((v) => ({ ...v, label: v.value })) },
    { key: "colour", legend: t.colour, values: facets.colours.map((v) => ({ ...v, label: v.value })) },
    ...facets.attributes.map((facet) => ({
      key: `attr:${facet.attribute.code}`,
      legend: facet.attribute.name,
      values: facet.choices.map((choice) => ({ value: choice.code, label: choice.label, count: choice.count })),
    })),
  ];

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

  const low = facets.priceRange.start?.amount;
  const high = facets.priceRange.stop?.amount;
  return (
    <aside class="filters" aria-label={words.filters} data-testid="filters">
      <h2 class="filters-title">{words.filters}</h2>
      {groups
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
    </aside>
  );
}
