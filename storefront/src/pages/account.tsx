import { useEffect, useState } from "preact/hooks";
import { execute, type Problem } from "../api";
import { isSignedIn, onSession, signIn, signOut } from "../auth";
import { countryName, Field, Loading, Price, Problems } from "../components";
import {
  AddressAddDocument,
  AddressChangeDocument,
  AddressRemoveDocument,
  MeDocument,
  MyOrderDocument,
  MyOrdersDocument,
  ProfileChangeDocument,
  ProfileRemoveDocument,
  SignUpDocument,
  type AccountAddressFragment,
  type MeQuery,
  type MyOrderQuery,
  type OrderPageFragment,
  type ProfileFragment,
} from "../gql/pages/graphql";
import { navigate } from "../router";
import { remember, useShop } from "../state";
import { cmText, toCentiCm } from "../units";
import { WORDS, type Words } from "../words";
import "../pages.css";

type Me = NonNullable<MeQuery["me"]>;

/** /account (sign in or up; then orders, addresses, measurement profiles) and /account/order/<number>. */
export function AccountPage(props: { route: string[] }) {
  const shop = useShop();
  const w = WORDS[shop.lang];
  const [signedIn, setSignedIn] = useState<boolean | null>(null);

  useEffect(() => {
    const check = () => setSignedIn(isSignedIn());
    // a reload signs in again from the tab's refresh token (src/auth.ts) with the first request
    execute(shop.storefront.slug, MeDocument, { storefront: shop.storefront.slug }).finally(check);
    return onSession(check);
  }, []);

  useEffect(() => {
    document.title = `${w.account} · ${shop.storefront.name}`;
  }, [shop.lang]);

  if (signedIn === null) return <Loading />;
  if (!signedIn) return <SignInOrUp w={w} />;
  const [, part, number] = props.route;
  if (part === "order" && number) return <OrderDetail number={Number(number)} w={w} key={number} />;
  return <Overview w={w} />;
}

function value(form: HTMLFormElement, name: string): string {
  const element = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  return element ? element.value.trim() : "";
}

function SignInOrUp(props: { w: Words }) {
  const { w } = props;
  const shop = useShop();
  const [mode, setMode] = useState<"in" | "up">("in");
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);

  async function submit(form: HTMLFormElement) {
    const email = value(form, "email");
    const password = (form.elements.namedItem("password") as HTMLInputElement).value;
    setBusy(true);
    try {
      if (mode === "up") {
        const { accountRegister } = await execute(shop.storefront.slug, SignUpDocument, {
          input: { email, password, fullName: value(form, "fullName") },
        }, { anonymous: true });
        if (accountRegister.errors.length) return setProblems(accountRegister.errors);
      }
      // a cart started as a guest is not the account's: the account's own carts start after signing in
      remember(shop.storefront.slug, "cart", null);
      shop.setCart(null);
      setProblems(await signIn(email, password));
    } catch {
      setProblems([{ field: null, code: "ERROR", message: w.error }]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="page narrow account">
      <h1>{mode === "in" ? w.signIn : w.signUp}</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit(event.currentTarget);
        }}
        key={mode}
      >
        {mode === "up" && (
          <label class="field">
            <span class="label">{w.fullName}</span>
            <input name="fullName" autocomplete="name" maxLength={200} />
          </label>
        )}
        <label class="field">
          <span class="label">{w.email}</span>
          <input name="email" type="email" autocomplete="email" required />
        </label>
        <label class="field">
          <span class="label">{w.password}</span>
          <input
            name="password"
            type="password"
            autocomplete={mode === "in" ? "current-password" : "new-password"}
            required
          />
        </label>
        <Problems problems={problems} labels={{ email: w.email, password: w.password, fullName: w.fullName }} />
        <button type="submit" class="button" disabled={busy}>
          {mode === "in" ? w.signIn : w.signUp}
        </button>
      </form>
      <p>
        {mode === "in" ? w.newHere : w.haveAccount}{" "}
        <button
          type="button"
          class="link"
          onClick={() => {
            setMode(mode === "in" ? "up" : "in");
            setProblems([]);
          }}
        >
          {mode === "in" ? w.signUp : w.signIn}
        </button>
      </p>
    </div>
  );
}

function Overview(props: { w: Words }) {
  const { w } = props;
  const shop = useShop();
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  function load() {
    execute(shop.storefront.slug, MeDocument, { storefront: shop.storefront.slug }).then(
      (answer) => setMe(answer.me),
      () => setMe(null),
    );
  }
  useEffect(load, [shop.lang]);

  if (me === undefined) return <Loading />;
  if (me === null)
    return (
      <div class="page narrow">
        <p>{w.error}</p>
      </div>
    );
  return (
    <div class="page account">
      <div class="account-head">
        <h1>{w.hello(me.fullName || me.email)}</h1>
        <button
          type="button"
          class="button secondary"
          onClick={async () => {
            await signOut();
            remember(shop.storefront.slug, "cart", null);
            shop.setCart(null);
          }}
        >
          {w.signOut}
        </button>
      </div>

      <Orders first={me.orders} w={w} />

      <Addresses addresses={me.addresses} w={w} reload={load} />
      <Profiles profiles={me.measurementProfiles} w={w} reload={load} />
    </div>
  );
}

/** The account's orders in this shop, newest first, and the older ones a page at a time (keyset: after the last
 * one shown). */
function Orders(props: { first: OrderPageFragment; w: Words }) {
  const { w } = props;
  const shop = useShop();
  const [pages, setPages] = useState<OrderPageFragment[]>([props.first]);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  useEffect(() => setPages([props.first]), [props.first]);

  const last = pages[pages.length - 1];
  const orders = pages.flatMap((page) => page.edges.map((edge) => edge.node));
  const date = (at: string) => new Intl.DateTimeFormat(shop.lang, { dateStyle: "medium" }).format(new Date(at));

  async function more() {
    setBusy(true);
    setFailed(false);
    try {
      const { me } = await execute(shop.storefront.slug, MyOrdersDocument, {
        storefront: shop.storefront.slug,
        after: last.pageInfo.endCursor ?? null,
      });
      if (me) setPages((before) => [...before, me.orders]);
      else setFailed(true);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="orders-title">
      <h2 id="orders-title">{w.orders}</h2>
      {orders.length === 0 ? (
        <p class="muted">{w.noOrders}</p>
      ) : (
        <ul class="lines compact" data-testid="orders">
          {orders.map((order) => (
            <li key={order.number}>
              <a href={`${shop.base}account/order/${order.number}`}>{w.order(order.number)}</a>
              <span class="muted">
                {date(order.createdAt)} · {w.statuses[order.status] ?? order.status} ·{" "}
                {order.lines.map((l) => l.productName).join(", ")}
              </span>
              <Price money={order.total} />
            </li>
          ))}
        </ul>
      )}
      {failed && <p role="alert">{w.error}</p>}
      {last.pageInfo.hasNextPage && (
        <button type="button" class="button secondary" onClick={more} disabled={busy} data-testid="more-orders">
          {w.moreOrders}
        </button>
      )}
    </section>
  );
}

function Addresses(props: { addresses: AccountAddressFragment[]; w: Words; reload(): void }) {
  const { w } = props;
  const shop = useShop();
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);

  async function save(form: HTMLFormElement, id: string | null) {
    const input = {
      firstName: value(form, "firstName"),
      lastName: value(form, "lastName"),
      street1: value(form, "street1"),
      street2: value(form, "street2"),
      city: value(form, "city"),
      province: value(form, "province"),
      postalCode: value(form, "postalCode"),
      country: value(form, "country"),
      phone: value(form, "phone"),
    };
    try {
      const errors =
        id === null
          ? (await execute(shop.storefront.slug, AddressAddDocument, { input })).addressCreate.errors
          : (await execute(shop.storefront.slug, AddressChangeDocument, { id, input })).addressUpdate.errors;
      setProblems(errors);
      if (errors.length === 0) {
        setEditing(null);
        props.reload();
      }
    } catch {
      setProblems([{ field: null, code: "ERROR", message: w.error }]);
    }
  }

  async function remove(id: string) {
    const { addressDelete } = await execute(shop.storefront.slug, AddressRemoveDocument, { id });
    setProblems(addressDelete.errors);
    props.reload();
  }

  const t = shop.t;
  const form = (address: AccountAddressFragment | null) => (
    <form
      class="address-form"
      onSubmit={(event) => {
        event.preventDefault();
        save(event.currentTarget, address?.id ?? null);
      }}
    >
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
          <select name="country" autocomplete="country" defaultValue={address?.country ?? shop.storefront.shipsTo[0]}>
            {shop.storefront.shipsTo.map((code) => (
              <option value={code} key={code}>
                {countryName(code, shop.lang)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Field name="phone" label={t.phone} value={address?.phone} autocomplete="tel" type="tel" />
      <Problems
        problems={problems}
        labels={{ firstName: t.firstName, street1: t.street1, city: t.city, country: t.country, phone: t.phone }}
      />
      <div class="row">
        <button type="submit" class="button">
          {w.save}
        </button>
        <button type="button" class="button secondary" onClick={() => (setEditing(null), setProblems([]))}>
          {w.cancel}
        </button>
      </div>
    </form>
  );

  return (
    <section aria-labelledby="addresses-title">
      <h2 id="addresses-title">{w.addresses}</h2>
      {props.addresses.length === 0 && <p class="muted">{w.noAddresses}</p>}
      <ul class="cards-list" data-testid="addresses">
        {props.addresses.map((address) => (
          <li key={address.id} data-testid="address">
            {editing === address.id ? (
              form(address)
            ) : (
              <>
                <address dir="auto">
                  <strong>
                    {address.firstName} {address.lastName}
                  </strong>
                  <br />
                  {address.street1}
                  {address.street2 && `, ${address.street2}`}
                  <br />
                  {[address.city, address.province, address.postalCode].filter(Boolean).join(", ")} ·{" "}
                  {countryName(address.country, shop.lang)}
                  {address.phone && (
                    <>
                      <br />
                      <span dir="ltr">{address.phone}</span>
                    </>
                  )}
                </address>
                {address.isDefaultShipping && <small class="muted">{w.defaultShipping}</small>}
                <div class="row">
                  <button type="button" class="button secondary" onClick={() => setEditing(address.id)}>
                    {w.edit}
                  </button>
                  <button type="button" class="button secondary" onClick={() => remove(address.id)}>
                    {w.delete}
                  </button>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      {editing === "new" ? (
        form(null)
      ) : (
        <button type="button" class="button secondary" onClick={() => (setEditing("new"), setProblems([]))}>
          {w.addAddress}
        </button>
      )}
    </section>
  );
}

function Profiles(props: { profiles: ProfileFragment[]; w: Words; reload(): void }) {
  const { w } = props;
  const shop = useShop();
  const [editing, setEditing] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);

  async function save(form: HTMLFormElement, profile: ProfileFragment) {
    const measurements = profile.garmentType.measurementFields.flatMap((field) => {
      const typed = value(form, field.code);
      if (typed === "") return [];
      const centi = toCentiCm(typed, "CM");
      return [{ code: field.code, value: centi === null ? typed : cmText(centi) }];
    });
    try {
      const { measurementProfileUpdate } = await execute(shop.storefront.slug, ProfileChangeDocument, {
        id: profile.id,
        input: { name: value(form, "name"), measurements, unit: "CM" },
      });
      setProblems(measurementProfileUpdate.errors);
      if (measurementProfileUpdate.errors.length === 0) {
        setEditing(null);
        props.reload();
      }
    } catch {
      setProblems([{ field: null, code: "ERROR", message: w.error }]);
    }
  }

  async function remove(id: string) {
    const { measurementProfileDelete } = await execute(shop.storefront.slug, ProfileRemoveDocument, { id });
    setProblems(measurementProfileDelete.errors);
    props.reload();
  }

  return (
    <section aria-labelledby="profiles-title">
      <h2 id="profiles-title">{w.profiles}</h2>
      {props.profiles.length === 0 && <p class="muted">{w.noProfiles}</p>}
      <ul class="cards-list" data-testid="profiles">
        {props.profiles.map((profile) => {
          const cm = Object.fromEntries(profile.measurements.map((m) => [m.code, m.cm]));
          return (
            <li key={profile.id} data-testid="profile">
              {editing === profile.id ? (
                <form
                  onSubmit={(event) => {
                    event.preventDefault();
                    save(event.currentTarget, profile);
                  }}
                >
                  <Field name="name" label={w.profileName} value={profile.name} required />
                  <div class="two">
                    {profile.garmentType.measurementFields.map((field) => (
                      <Field
                        key={field.code}
                        name={field.code}
                        label={`${field.label} (${w.cm})`}
                        value={cm[field.code] ? cmText(toCentiCm(cm[field.code], "CM") ?? 0) : ""}
                        required={field.required}
                      />
                    ))}
                  </div>
                  <Problems problems={problems} />
                  <div class="row">
                    <button type="submit" class="button">
                      {w.save}
                    </button>
                    <button type="button" class="button secondary" onClick={() => (setEditing(null), setProblems([]))}>
                      {w.cancel}
                    </button>
                  </div>
                </form>
              ) : (
                <>
                  <strong>{profile.name}</strong>{" "}
                  <small class="muted">
                    {profile.garmentType.name} · {w.version(profile.version)}
                  </small>
                  <dl class="attributes">
                    {profile.measurements.map((m) => (
                      <div key={m.code}>
                        <dt>{m.label}</dt>
                        <dd>
                          {cmText(toCentiCm(m.cm, "CM") ?? 0)} {w.cm}
                        </dd>
                      </div>
                    ))}
                  </dl>
                  <div class="row">
                    <button type="button" class="button secondary" onClick={() => setEditing(profile.id)}>
                      {w.edit}
                    </button>
                    <button type="button" class="button secondary" onClick={() => remove(profile.id)}>
                      {w.delete}
                    </button>
                  </div>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

type Order = NonNullable<MyOrderQuery["order"]>;

function OrderDetail(props: { number: number; w: Words }) {
  const { w } = props;
  const shop = useShop();
  const [order, setOrder] = useState<Order | null | undefined>(undefined);

  useEffect(() => {
    if (!Number.isInteger(props.number)) return setOrder(null);
    execute(shop.storefront.slug, MyOrderDocument, { number: props.number }).then(
      (answer) => setOrder(answer.order),
      () => setOrder(null),
    );
  }, [props.number]);

  if (order === undefined) return <Loading />;
  if (order === null)
    return (
      <div class="page narrow">
        <h1>{w.orderNotFound}</h1>
        <a href={`${shop.base}account`}>{w.back}</a>
      </div>
    );
  const dateTime = (at: string) =>
    new Intl.DateTimeFormat(shop.lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(at));
  const day = (iso: string) =>
    new Intl.DateTimeFormat(shop.lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
  return (
    <div class="page narrow order">
      <p>
        <a
          href={`${shop.base}account`}
          onClick={(event) => {
            event.preventDefault();
            navigate("account");
          }}
        >
          {w.back}
        </a>
      </p>
      <h1 data-testid="order-title">{w.order(order.number)}</h1>
      <p class="muted">
        {w.placedOn} {dateTime(order.createdAt)} · {w.status}: {w.statuses[order.status] ?? order.status} · {w.payment}:{" "}
        {w.statuses[order.paymentStatus] ?? order.paymentStatus}
      </p>
      <ul class="lines compact">
        {order.lines.map((line, index) => (
          <li key={index}>
            <span>
              {line.quantity} × {line.productName} <small class="muted">{line.variantName}</small>
            </span>
            <Price money={line.total} />
          </li>
        ))}
      </ul>
      <dl class="totals">
        <div>
          <dt>{shop.t.shipping}</dt>
          <dd>
            {order.deliveryMethodName} <Price money={order.shippingTotal} />
          </dd>
        </div>
        <div class="grand">
          <dt>{shop.t.total}</dt>
          <dd>
            <Price money={order.total} />
          </dd>
        </div>
      </dl>
      {order.productionJobs.length > 0 && (
        <section aria-labelledby="production-title">
          <h2 id="production-title">{w.production}</h2>
          {order.productionJobs.map((job) => (
            <article class="job" key={job.id} data-testid="production-job">
              <h3>
                {job.garment}{" "}
                <span class="badge stage" data-testid="stage" data-stage={job.stage}>
                  {w.stages[job.stage] ?? job.stage}
                </span>
              </h3>
              <p class="small muted">
                {job.readyBy && (
                  <>
                    {WORDS[shop.lang].readyBy}: {day(job.readyBy)}
                  </>
                )}
                {job.tailor && ` · ${w.tailor}: ${job.tailor.displayName}`}
              </p>
              <ol class="timeline" aria-label={w.production}>
                {job.history.map((step, index) => (
                  <li key={index} data-stage={step.stage} data-testid="timeline-step">
                    <strong>{w.stages[step.stage] ?? step.stage}</strong>{" "}
                    <time dateTime={step.at}>{dateTime(step.at)}</time>
                    {step.note && <p class="small muted" dir="auto">{step.note}</p>}
                  </li>
                ))}
              </ol>
            </article>
          ))}
        </section>
      )}
    </div>
  );
}

