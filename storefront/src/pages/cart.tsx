import { useEffect, useState } from "preact/hooks";
import { execute, type Problem } from "../api";
import { loadCart, recurrency } from "../cart";
import { Loading, Price, Problems } from "../components";
import { LineProduct, lineName } from "../lineproduct";
import { CartUpdateDocument } from "../gql/graphql";
import { useShop } from "../state";

export function CartPage() {
  const shop = useShop();
  const { t, cart, storefront } = shop;
  const [loaded, setLoaded] = useState(false);
  const [problems, setProblems] = useState<Problem[]>([]);

  useEffect(() => {
    loadCart(storefront.slug)
      .then(async (fresh) => {
        // a cart made in another currency than the one chosen now moves to a checkout in this one
        const moved = fresh ? await recurrency(storefront.slug, fresh, shop.currency, shop.lang) : null;
        shop.setCart(moved?.cart ?? fresh);
      })
      .finally(() => setLoaded(true));
  }, []);

  async function setQuantity(variantId: string, quantity: number) {
    if (cart === null) return;
    const { checkoutLinesUpdate } = await execute(storefront.slug, CartUpdateDocument, {
      token: cart.token,
      lines: [{ variantId, quantity }],
    });
    setProblems(checkoutLinesUpdate.errors);
    if (checkoutLinesUpdate.checkout) shop.setCart(checkoutLinesUpdate.checkout);
  }

  if (!loaded && cart === null) return <Loading />;
  return (
    <div class="page narrow">
      <h1>{t.cart}</h1>
      {cart === null || cart.lines.length === 0 ? (
        <p>
          {t.emptyCart} <a href={shop.base}>{t.continueShopping}</a>
        </p>
      ) : (
        <>
          <ul class="lines">
            {cart.lines.map((line) => (
              <li class="line" key={line.id} data-testid="cart-line">
                <LineProduct line={line} />
                <div>
                  <p class="line-name">
                    {line.variant.product ? (
                      <a href={`${shop.base}p/${encodeURIComponent(line.variant.product.slug)}`}>
                        {lineName(line)}
                      </a>
                    ) : (
                      line.productName
                    )}
                  </p>
                  <p class="muted">
                    {line.variant.colour} · {line.variant.size} · <Price money={line.unitPrice} />
                  </p>
                </div>
                <label class="quantity">
                  <span class="label">{t.quantity}</span>
                  <input
                    type="number"
                    min={0}
                    max={50}
                    value={line.quantity}
                    onChange={(event) => setQuantity(line.variant.id, Number(event.currentTarget.value))}
                  />
                </label>
                <button type="button" class="link" onClick={() => setQuantity(line.variant.id, 0)}>
                  {t.remove}
                  <span class="visually-hidden"> {lineName(line)}</span>
                </button>
                <p class="line-total">
                  <Price money={line.total} />
                </p>
              </li>
            ))}
          </ul>
          <Problems problems={problems} />
          <dl class="totals">
            <div>
              <dt>{t.subtotal}</dt>
              <dd>
                <Price money={cart.subtotal} />
              </dd>
            </div>
          </dl>
          <p class="actions">
            <a class="button" href={`${shop.base}checkout`}>
              {t.checkout}
            </a>
          </p>
        </>
      )}
    </div>
  );
}
