// What the shop remembers in the browser, per brand: language, currency, the cart's checkout token and the
// orders placed here (a guest cannot read an order back from the API, so its confirmation is kept).
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { CartFragment, ShopQuery } from "./gql/graphql";
import type { Lang, Messages } from "./i18n";

export interface PlacedOrder {
  number: number;
  status: string;
  paymentStatus: string;
  paymentDueAt: string | null;
  deliveryMethodName: string;
  total: { amount: string; currency: string };
  lines: { productName: string; variantName: string; quantity: number }[];
  email: string;
  instructions: unknown;
}

export interface Shop {
  storefront: ShopQuery["storefront"];
  categories: ShopQuery["categories"];
  base: string;
  lang: Lang;
  t: Messages;
  currency: string;
  cart: CartFragment | null;
  setCart(cart: CartFragment | null): void;
  setLang(lang: Lang): void;
  setCurrency(currency: string): void;
}

export const ShopContext = createContext<Shop | null>(null);

export function useShop(): Shop {
  const shop = useContext(ShopContext);
  if (shop === null) throw new Error("useShop outside the shop");
  return shop;
}

function key(storefront: string, name: string): string {
  return `lini:${storefront}:${name}`;
}

export function remember(storefront: string, name: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key(storefront, name));
    else localStorage.setItem(key(storefront, name), value);
  } catch {
    // private mode: the shop still works, it only forgets on reload
  }
}

export function recall(storefront: string, name: string): string | null {
  try {
    return localStorage.getItem(key(storefront, name));
  } catch {
    return null;
  }
}

export function saveOrder(storefront: string, order: PlacedOrder): void {
  remember(storefront, `order:${order.number}`, JSON.stringify(order));
}

export function loadOrder(storefront: string, number: number): PlacedOrder | null {
  const saved = recall(storefront, `order:${number}`);
  return saved === null ? null : (JSON.parse(saved) as PlacedOrder);
}
