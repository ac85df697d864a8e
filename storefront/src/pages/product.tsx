import { useEffect, useState } from "preact/hooks";
import { execute, type Problem } from "../api";
import { addToCart } from "../cart";
import { Loading, Picture, Price, Problems } from "../components";
import { ProductDocument, type ProductQuery } from "../gql/graphql";
import { SizeChart } from "../sizechart";
import { useShop } from "../state";

type Product = NonNullable<ProductQuery["product"]>;
type Variant = Product["variants"][number];

/** A product: its gallery, a colour and size picker showing each variant's stock, and the price in the currency. */
export function ProductPage(props: { slug: string }) {
  const shop = useShop();
  const { t, lang, currency, storefront } = shop;
  const [product, setProduct] = useState<Product | null | undefined>(undefined);
  const [colour, setColour] = useState<string | null>(null);
  const [size, setSize] = useState<string | null>(null);
  const [picture, setPicture] = useState(0);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [added, setAdded] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    execute(storefront.slug, ProductDocument, { slug: props.slug, currency, language: lang }).then(
      (answer) => {
        setProduct(answer.product);
        const first = answer.product?.variants.find((variant) => variant.isAvailable) ?? answer.product?.variants[0];
        setColour((before) => before ?? first?.colour ?? null);
        setSize((before) => before ?? first?.size ?? null);
      },
      () => setProduct(null),
    );
  }, [props.slug, lang, currency]);

  useEffect(() => {
    if (product) document.title = `${product.name} · ${storefront.name}`;
  }, [product]);

  if (product === undefined) return <Loading />;
  if (product === null)
    return (
      <div class="page narrow">
        <h1>{t.notFound}</h1>
        <a href={shop.base}>{t.back}</a>
      </div>
    );

  const colours = unique(product.variants.map((variant) => variant.colour));
  const sizes = unique(product.variants.map((variant) => variant.size));
  const variant = product.variants.find((v) => v.colour === colour && v.size === size) ?? null;
  const canAdd = variant !== null && variant.isAvailable && variant.price !== null && !busy;

  async function add() {
    if (variant === null) return;
    setBusy(true);
    setAdded(false);
    try {
      const changed = await addToCart(
        storefront.slug,
        shop.cart,
        [{ variantId: variant.id, quantity: 1 }],
        currency,
        lang,
      );
      setProblems(changed.problems);
      if (changed.cart) shop.setCart(changed.cart);
      setAdded(changed.problems.length === 0);
    } catch {
      setProblems([{ field: null, code: "ERROR", message: t.error }]);
    } finally {
      setBusy(false);
    }
  }

  const media = product.media.length > 0 ? product.media : [{ url: "", alt: product.name }];
  const shown = media[Math.min(picture, media.length - 1)];

  return (
    <div class="page product">
      <nav class="crumbs" aria-label="breadcrumb">
        <a href={shop.base}>{t.allProducts}</a>
        {product.category && (
          <>
            <span aria-hidden="true"> / </span>
            <a href={`${shop.base}c/${encodeURIComponent(product.category.slug)}`}>{product.category.name}</a>
          </>
        )}
      </nav>
      <section class="gallery" aria-label={t.gallery}>
        <Picture url={shown.url} alt={shown.alt} name={product.name} class="main-picture" eager />
        {media.length > 1 && (
          <ul class="thumbs">
            {media.map((item, index) => (
              <li key={item.url + index}>
                <button
                  type="button"
                  aria-label={t.showPicture(index + 1)}
                  aria-pressed={index === picture}
                  onClick={() => setPicture(index)}
                >
                  <Picture url={item.url} alt="" name={product.name} />
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="buy">
        <h1>{product.name}</h1>
        <p class="big-price" data-testid="price">
          {variant?.price ? <Price money={variant.price} /> : <span class="muted">{t.notSold}</span>}
          {variant?.compareAtPrice && variant.price && (
            <s class="muted">
              {" "}
              <Price money={variant.compareAtPrice} />
            </s>
          )}
        </p>
        <Choice
          legend={t.colour}
          name="colour"
          options={colours}
          chosen={colour}
          onChoose={(value) => {
            setColour(value);
            setAdded(false);
          }}
          soldOut={(value) => !product.variants.some((v) => v.colour === value && v.isAvailable)}
          note={() => null}
        />
        <Choice
          legend={t.size}
          name="size"
          options={sizes}
          chosen={size}
          onChoose={(value) => {
            setSize(value);
            setAdded(false);
          }}
          soldOut={(value) => !variantOf(product, colour, value)?.isAvailable}
          note={(value) => stockNote(variantOf(product, colour, value), t)}
        />
        <SizeChart rows={product.sizeChart} chosen={size} />
        {product.madeToMeasure && (
          <a class="button secondary" href={`${shop.base}m/${encodeURIComponent(product.slug)}`} data-testid="configure">
            {t.madeToMeasure}
          </a>
        )}
        <p class="stock" data-testid="stock" aria-live="polite">
          {variant === null ? t.chooseVariant : stockNote(variant, t)}
        </p>
        <button type="button" class="button" onClick={add} disabled={!canAdd} data-testid="add-to-cart">
          {variant !== null && !variant.isAvailable ? t.soldOut : t.addToCart}
        </button>
        <Problems problems={problems} />
        {added && (
          <p class="notice" role="status">
            {t.added} <a href={`${shop.base}cart`}>{t.cart}</a>
          </p>
        )}
        <h2>{t.details}</h2>
        <p class="description" dir="auto">{product.description}</p>
        <dl class="attributes">
          {product.attributes
            .filter((attribute) => attribute.values.length > 0)
            .map((attribute) => (
              <div key={attribute.attribute.code}>
                <dt>{attribute.attribute.name}</dt>
                <dd>{attribute.values.map((value) => value.label).join(", ")}</dd>
              </div>
            ))}
        </dl>
      </section>
    </div>
  );
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function variantOf(product: Product, colour: string | null, size: string): Variant | undefined {
  return product.variants.find((v) => v.colour === colour && v.size === size);
}

function stockNote(variant: Variant | undefined | null, t: ReturnType<typeof useShop>["t"]): string {
  if (!variant) return "";
  if (!variant.isAvailable) return t.soldOut;
  return variant.quantityAvailable <= 5 ? t.left(variant.quantityAvailable) : t.inStock;
}

/** A radio group drawn as buttons: real radios, so arrows, labels and screen readers work as usual. */
function Choice(props: {
  legend: string;
  name: string;
  options: string[];
  chosen: string | null;
  onChoose(value: string): void;
  soldOut(value: string): boolean;
  note(value: string): string | null;
}) {
  return (
    <fieldset class="choice">
      <legend>{props.legend}</legend>
      <div class="options">
        {props.options.map((value) => {
          const note = props.note(value);
          const out = props.soldOut(value);
          return (
            <label key={value} class={out ? "option out" : "option"}>
              <input
                type="radio"
                name={props.name}
                value={value}
                checked={props.chosen === value}
                onChange={() => props.onChoose(value)}
              />
              <span>
                {value}
                {note && <small>{note}</small>}
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
