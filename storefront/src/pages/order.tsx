import { Price } from "../components";
import { loadOrder, useShop } from "../state";

interface Instructions {
  bankName?: string;
  accountNumber?: string;
  accountHolder?: string;
  reference?: string;
  amount?: string;
  currency?: string;
  expiresAt?: string;
}

/** The order confirmation, from what checkoutComplete and the bank transfer payment answered in this browser. */
export function OrderPage(props: { number: number }) {
  const shop = useShop();
  const { t } = shop;
  const order = Number.isInteger(props.number) ? loadOrder(shop.storefront.slug, props.number) : null;
  if (order === null)
    return (
      <div class="page narrow">
        <h1>{t.orderNotFound}</h1>
        <a href={shop.base}>{t.back}</a>
      </div>
    );
  const transfer = (order.instructions ?? {}) as Instructions;
  const due = transfer.expiresAt ?? order.paymentDueAt;
  const dateTime = (value: string) =>
    new Intl.DateTimeFormat(shop.lang, { dateStyle: "long", timeStyle: "short" }).format(new Date(value));
  return (
    <div class="page narrow order">
      <h1 data-testid="order-title">{t.orderPlaced(order.number)}</h1>
      <p class="muted">
        {t.orderStatus}: {order.status} · {order.email}
      </p>
      {order.instructions !== null && (
        <section class="transfer" aria-labelledby="transfer-title" data-testid="transfer">
          <h2 id="transfer-title">{t.transferTitle}</h2>
          <p>{t.transferIntro}</p>
          <dl>
            <div>
              <dt>{t.bank}</dt>
              <dd>{transfer.bankName}</dd>
            </div>
            <div>
              <dt>{t.accountNumber}</dt>
              <dd class="mono" dir="ltr">
                {transfer.accountNumber}
              </dd>
            </div>
            <div>
              <dt>{t.accountHolder}</dt>
              <dd>{transfer.accountHolder}</dd>
            </div>
            <div>
              <dt>{t.reference}</dt>
              <dd class="mono" dir="ltr" data-testid="reference">
                {transfer.reference}
              </dd>
            </div>
            <div>
              <dt>{t.amount}</dt>
              <dd>
                {transfer.amount && transfer.currency ? (
                  <Price money={{ amount: transfer.amount, currency: transfer.currency }} />
                ) : (
                  <Price money={order.total} />
                )}
              </dd>
            </div>
            {due && (
              <div>
                <dt>{t.payBy}</dt>
                <dd>{dateTime(due)}</dd>
              </div>
            )}
          </dl>
        </section>
      )}
      <ul class="lines compact">
        {order.lines.map((line, index) => (
          <li key={index}>
            <span>
              {line.quantity} × {line.productName} <small class="muted">{line.variantName}</small>
            </span>
          </li>
        ))}
      </ul>
      <dl class="totals">
        <div>
          <dt>{t.shipping}</dt>
          <dd>{order.deliveryMethodName}</dd>
        </div>
        <div class="grand">
          <dt>{t.total}</dt>
          <dd>
            <Price money={order.total} />
          </dd>
        </div>
      </dl>
      <p>
        <a href={shop.base}>{t.continueShopping}</a>
      </p>
    </div>
  );
}
