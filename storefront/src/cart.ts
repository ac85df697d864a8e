// The cart is a Lini checkout, created with the first line in the shopper's currency and language. Its
// currency is fixed at creation, so a currency switch moves the lines to a new checkout.
import { ApiError, execute, type Problem } from "./api";
import { CartAddDocument, CartCreateDocument, CheckoutDocument, type CartFragment } from "./gql/graphql";
import { recall, remember } from "./state";

export interface Changed {
  cart: CartFragment | null;
  problems: Problem[];
}

export async function loadCart(storefront: string): Promise<CartFragment | null> {
  const token = recall(storefront, "cart");
  if (token === null) return null;
  try {
    const { checkout } = await execute(storefront, CheckoutDocument, { token });
    if (checkout === null) remember(storefront, "cart", null); // completed or expired
    return checkout;
  } catch (error) {
    if (error instanceof ApiError && (error.code === "NOT_FOUND" || error.code === "CHECKOUT_EXPIRED")) {
      remember(storefront, "cart", null);
      return null;
    }
    throw error;
  }
}

export async function addToCart(
  storefront: string,
  cart: CartFragment | null,
  lines: { variantId: string; quantity: number }[],
  currency: string,
  language: string,
): Promise<Changed> {
  if (cart === null) {
    const { checkoutCreate } = await execute(storefront, CartCreateDocument, {
      input: { currency, language, lines },
    });
    if (checkoutCreate.checkout) remember(storefront, "cart", checkoutCreate.checkout.token);
    return { cart: checkoutCreate.checkout ?? null, problems: checkoutCreate.errors };
  }
  const { checkoutLinesAdd } = await execute(storefront, CartAddDocument, { token: cart.token, lines });
  return { cart: checkoutLinesAdd.checkout ?? cart, problems: checkoutLinesAdd.errors };
}

/** The same lines in a checkout of `currency` (the old one is left to expire). */
export async function recurrency(
  storefront: string,
  cart: CartFragment,
  currency: string,
  language: string,
): Promise<Changed> {
  if (cart.currency === currency) return { cart, problems: [] };
  const lines = cart.lines.map((line) => ({ variantId: line.variant.id, quantity: line.quantity }));
  remember(storefront, "cart", null);
  return addToCart(storefront, null, lines, currency, language);
}
