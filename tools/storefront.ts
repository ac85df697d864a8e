// How a storefront uses the generated types (docs/storefront.md); `make codegen` type-checks it against what
// graphql-codegen generated, so a schema change that breaks this use breaks CI.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import {
  CatalogPageDocument,
  CheckoutCreateDocument,
  type CatalogPageQuery,
  type MadeToMeasureOptionKind,
  ProductPageDocument,
} from "./generated/graphql";

export async function execute<Result, Variables>(
  url: string,
  storefront: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Lini-Storefront": storefront },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: Result; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data as Result;
}

/** Amounts are decimal strings: compared here as scaled integers, never as floats. */
export function cheapestFirst(page: CatalogPageQuery): string[] {
  const cents = (amount: string): bigint => {
    const [whole, fraction = ""] = amount.split(".");
    return BigInt(whole + fraction.padEnd(2, "0").slice(0, 2));
  };
  return page.products.edges
    .filter((edge) => edge.node.pricing.priceRange.start !== null)
    .sort((a, b) => {
      const left = cents(a.node.pricing.priceRange.start!.amount);
      const right = cents(b.node.pricing.priceRange.start!.amount);
      return left < right ? -1 : left > right ? 1 : 0;
    })
    .map((edge) => edge.node.slug);
}

export const optionKinds: MadeToMeasureOptionKind[] = ["SINGLE", "MULTIPLE", "TEXT"];

export async function productPageOfCheapest(url: string, storefront: string): Promise<string | undefined> {
  const page = await execute(url, storefront, CatalogPageDocument, { first: 24, currency: "IDR" });
  const slug = cheapestFirst(page)[0];
  if (slug === undefined) return undefined;
  const { product } = await execute(url, storefront, ProductPageDocument, { slug, currency: "IDR" });
  const variant = product?.variants.find((v) => v.isAvailable);
  if (variant === undefined) return undefined;
  const created = await execute(url, storefront, CheckoutCreateDocument, {
    input: { email: "tamu@example.id", lines: [{ variantId: variant.id, quantity: 1 }] },
  });
  const expires: Date = new Date(created.checkoutCreate.checkout?.expiresAt ?? "");
  return `${created.checkoutCreate.checkout?.token} until ${expires.toISOString()}`;
}
