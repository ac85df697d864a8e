// A cart line's picture, from its variant's product (`ProductVariant.product`), linking to the product's page;
// nothing when the product is no longer published.
import { Picture } from "./components";
import type { CartFragment } from "./gql/graphql";
import { useShop } from "./state";

type Line = CartFragment["lines"][number];

/** The line's product name in the checkout's language while the product is published, else as it was bought. */
export function lineName(line: Line): string {
  return line.variant.product?.name ?? line.productName;
}

export function LineProduct(props: { line: Line }) {
  const { base } = useShop();
  const product = props.line.variant.product;
  if (!product) return <span class="line-picture" aria-hidden="true" />;
  // the name beside it is the link screen readers hear; the picture repeats it for the pointer only
  return (
    <a class="line-picture" href={`${base}p/${encodeURIComponent(product.slug)}`} tabIndex={-1} aria-hidden="true">
      <Picture url={product.thumbnail?.url} alt="" name={lineName(props.line)} />
    </a>
  );
}
