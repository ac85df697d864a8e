import { useEffect, useState } from "preact/hooks";
import { execute, type Problem } from "../api";
import { loadCart, recurrency } from "../cart";
import { countryName, Field, Loading, Price, Problems } from "../components";
import {
  CartCompleteDocument,
  CartDeliveryMethodDocument,
  CartEmailDocument,
  CartPayDocument,
  CartShipToDocument,
  CartVoucherApplyDocument,
  CartVoucherRemoveDocument,
  type CartFragment,
} from "../gql/graphql";
import { navigate } from "../router";
import { remember, saveOrder, useShop } from "../state";

const BANK_TRANSFER = "bank_transfer";

/** One page: e-mail and address, then the shipping methods for it, a voucher, then the order, paid by bank transfer. */
export function CheckoutPage() {
  const shop = useShop();
  const { t, storefront } = shop;
  const cart = shop.cart;
  const [ready, setReady] = useState(false);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    loadCart(storefront.slug)
      .then(async (fresh) => {
        const moved = fresh ? await recurrency(storefront.slug, fresh, shop.currency, shop.lang) : null;
        shop.setCart(moved?.cart ?? fresh);
      })
      .finally(() => setReady(true));
  }, []);

  if (!ready) return <Loading />;
  if (cart === null || cart.lines.length === 0)
    return (
      <div class="page narrow">
        <h1>{t.checkout}</h1>
        <p>
          {t.emptyCart} <a href={shop.base}>{t.continueShopping}</a>
        </p>
      </div>
    );

  function update(changed: { checkout?: CartFragment | null; errors: Problem[] }) {
    setProblems(changed.errors);
    if (changed.checkout) shop.setCart(changed.checkout);
    return changed.errors.length === 0;
  }

  async function saveAddress(form: HTMLFormElement) {
    if (cart === null) return;
    // read the form before anything re-renders it
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    const email = value("email");
    const address = {
      firstName: value("firstName"),
      lastName: value("lastName"),
      street1: value("street1"),
      street2: value("street2"),
      city: value("city"),
      province: value("province"),
      postalCode: value("postalCode"),
      country: value("country"),
      phone: value("phone"),
    };
    setBusy(true);
    try {
      const saved = await execute(storefront.slug, CartEmailDocument, { token: cart.token, email });
      if (!update(saved.checkoutEmailUpdate)) return;
      const shipped = await execute(storefront.slug, CartShipToDocument, { token: cart.token, address });
      update(shipped.checkoutShippingAddressUpdate);
    } catch {
      setProblems([{ field: null, code: "ERROR", message: t.error }]);
    } finally {
      setBusy(false);
    }
  }

  async function chooseMethod(method: string) {
    if (cart === null) return;
    const answer = await execute(storefront.slug, CartDeliveryMethodDocument, { token: cart.token, method });
    update(answer.checkoutDeliveryMethodUpdate);
  }

  async function placeOrder() {
    if (cart === null) return;
    setBusy(true);
    try {
      const paid = await execute(storefront.slug, CartPayDocument, { token: cart.token, gateway: BANK_TRANSFER });
      if (paid.checkoutPaymentCreate.errors.length) return setProblems(paid.checkoutPaymentCreate.errors);
      // the same key again (a double click, a retry after a lost answer) returns the same order
      const done = await execute(storefront.slug, CartCompleteDocument, {
        token: cart.token,
        idempotencyKey: `order-${cart.token}`,
      });
      const order = done.checkoutComplete.order;
      if (!order) return setProblems(done.checkoutComplete.errors);
      saveOrder(storefront.slug, {
        ...order,
        email: cart.email,
        instructions: paid.checkoutPaymentCreate.payment?.action?.instructions ?? null,
      });
      remember(storefront.slug, "cart", null);
      shop.setCart(null);
      navigate(`order/${order.number}`);
    } catch {
      setProblems([{ field: null, code: "ERROR", message: t.error }]);
    } finally {
      setBusy(false);
    }
  }

  const address = cart.shippingAddress;
  const gateways = cart.availablePaymentGateways;
  const bank = gateways.find((gateway) => gateway.id === BANK_TRANSFER);
  const canPlace = address !== null && cart.deliveryMethod !== null && bank !== undefined && !busy;

  return (
    <div class="page checkout">
      <div class="checkout-form">
        <h1>{t.checkout}</h1>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            saveAddress(event.currentTarget);
          }}
        >
          <fieldset>
            <legend>{t.contact}</legend>
            <Field name="email" label={t.email} type="email" value={cart.email} autocomplete="email" required />
          </fieldset>
          <fieldset>
            <legend>{t.address}</legend>
            <div class="two">
              <Field name="firstName" label={t.firstName} value={address?.firstName} autocomplete="given-name" required />
              <Field name="lastName" label={t.lastName} value={address?.lastName} autocomplete="family-name" />
            </div>
            <Field name="street1" label={t.street1} value={address?.street1} autocomplete="address-line1" required />
            <Field name="street2" label={t.street2} value={address?.street2} autocomplete="address-line2" />
            <div class="two">
              <Field name="city" label={t.city} value={address?.city} autocomplete="address-level2" required />
              <Field name="province" label={t.province} value={address?.province} autocomplete="address-level1" />
            </div>
            <div class="two">
              <Field name="postalCode" label={t.postalCode} value={address?.postalCode} autocomplete="postal-code" />
              <label class="field">
                <span class="label">{t.country}</span>
                <select name="country" autocomplete="country" defaultValue={address?.country ?? storefront.shipsTo[0]}>
                  {storefront.shipsTo.map((code) => (
                    <option value={code} key={code}>
                      {countryName(code, shop.lang)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <Field name="phone" label={t.phone} type="tel" value={address?.phone} autocomplete="tel" />
          </fieldset>
          <button type="submit" class="button secondary" disabled={busy}>
            {t.saveAddress}
          </button>
        </form>

        {address !== null && (
          <fieldset class="methods">
            <legend>{t.shippingMethod}</legend>
            {cart.availableShippingMethods.length === 0 && <p>{t.noShipping}</p>}
            {cart.availableShippingMethods.map((method) => (
              <label class="option-row" key={method.id}>
                <input
                  type="radio"
                  name="shipping"
                  value={method.id}
                  checked={cart.deliveryMethod?.id === method.id}
                  onChange={() => chooseMethod(method.id)}
                />
                <span>
                  <strong>{method.name}</strong> · {method.carrier} · {method.minDays !== null && method.maxDays !== null && t.days(method.minDays, method.maxDays)}
                </span>
                <Price money={method.price} />
              </label>
            ))}
          </fieldset>
        )}

        {address !== null && bank !== undefined && (
          <fieldset class="methods">
            <legend>{t.payment}</legend>
            <label class="option-row">
              <input type="radio" name="payment" value={BANK_TRANSFER} checked readOnly />
              <span>{t.bankTransfer}</span>
            </label>
          </fieldset>
        )}
        <Problems
          problems={problems}
          labels={{
            email: t.email,
            firstName: t.firstName,
            lastName: t.lastName,
            street1: t.street1,
            street2: t.street2,
            city: t.city,
            province: t.province,
            postalCode: t.postalCode,
            country: t.country,
            phone: t.phone,
          }}
        />
      </div>

      <aside class="summary" aria-label={t.total}>
        <ul class="lines compact">
          {cart.lines.map((line) => (
            <li key={line.id}>
              <span>
                {line.quantity} × {line.productName}
                <small class="muted">
                  {" "}
                  {line.variant.colour} · {line.variant.size}
                </small>
              </span>
              <Price money={line.total} />
            </li>
          ))}
        </ul>
        <VoucherField cart={cart} onChange={(checkout) => shop.setCart(checkout)} />
        <dl class="totals">
          <div>
            <dt>{t.subtotal}</dt>
            <dd>
              <Price money={cart.subtotal} />
            </dd>
          </div>
          {cart.voucherCode && Number(cart.discountTotal.amount) > 0 && (
            <div>
              <dt>{t.discount(cart.voucherCode)}</dt>
              <dd data-testid="discount">
                −<Price money={cart.discountTotal} />
              </dd>
            </div>
          )}
          <div>
            <dt>{t.shipping}</dt>
            <dd>
              <Price money={cart.shippingTotal} />
            </dd>
          </div>
          <div>
            <dt>{t.tax}</dt>
            <dd>
              <Price money={cart.taxTotal} />
            </dd>
          </div>
          <div class="grand">
            <dt>{t.total}</dt>
            <dd data-testid="total">
              <Price money={cart.total} />
            </dd>
          </div>
        </dl>
        <button type="button" class="button wide" disabled={!canPlace} onClick={placeOrder} data-testid="place-order">
          {busy ? t.placing : t.placeOrder}
        </button>
      </aside>
    </div>
  );
}

/** A voucher code: applied or refused at once, its typed error (`field: "code"`) shown under the field; an applied
 * voucher that stopped applying (minimum no longer met…) shows the checkout's `voucherError`. */
function VoucherField(props: { cart: CartFragment; onChange: (checkout: CartFragment) => void }) {
  const { t, storefront } = useShop();
  const { cart } = props;
  const [code, setCode] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(apply: boolean) {
    setBusy(true);
    try {
      const payload = apply
        ? (await execute(storefront.slug, CartVoucherApplyDocument, { token: cart.token, code: code.trim() }))
            .checkoutVoucherApply
        : (await execute(storefront.slug, CartVoucherRemoveDocument, { token: cart.token })).checkoutVoucherRemove;
      setProblem(payload.errors[0] ?? null);
      if (payload.checkout) props.onChange(payload.checkout);
      if (payload.errors.length === 0) setCode("");
    } catch {
      setProblem({ field: null, code: "ERROR", message: t.error });
    } finally {
      setBusy(false);
    }
  }

  const shown = problem ?? cart.voucherError ?? null;
  if (cart.voucherCode)
    return (
      <div class="voucher" data-testid="voucher">
        <p>
          <strong data-testid="voucher-code">{cart.voucherCode}</strong>{" "}
          <button type="button" class="link" disabled={busy} onClick={() => run(false)}>
            {t.removeVoucher}
          </button>
        </p>
        {shown && (
          <p class="field-error" role="alert" data-code={shown.code}>
            {shown.message}
          </p>
        )}
      </div>
    );
  return (
    <form
      class="voucher"
      data-testid="voucher"
      onSubmit={(event) => {
        event.preventDefault();
        if (code.trim()) run(true);
      }}
    >
      <label class="field">
        <span class="label">{t.voucher}</span>
        <input
          name="voucher"
          value={code}
          onInput={(event) => setCode(event.currentTarget.value)}
          aria-invalid={shown ? "true" : undefined}
          aria-describedby={shown ? "voucher-error" : undefined}
          autocomplete="off"
        />
      </label>
      <button type="submit" class="button secondary" disabled={busy || !code.trim()}>
        {t.applyVoucher}
      </button>
      {shown && (
        <p class="field-error" id="voucher-error" role="alert" data-code={shown.code}>
          {shown.message}
        </p>
      )}
    </form>
  );
}
