import { useState } from "preact/hooks";
import { formatMoney, formatRange, type Money } from "./money";
import { useShop } from "./state";

/** A product picture; the brand's colour and the name's initials stand in when it cannot be loaded. */
export function Picture(props: { url?: string | null; alt: string; name: string; class?: string; eager?: boolean }) {
  const [failed, setFailed] = useState(false);
  if (!props.url || failed) {
    const initials = props.name
      .split(/\s+/)
      .slice(0, 2)
      .map((word) => word[0] ?? "")
      .join("");
    // The initials are drawn by CSS (::before), not text: a thumbnail inside a button labelled "Show picture 2"
    // must not show text its name lacks. With alt="" the stand-in is decoration, hidden like an <img alt="">.
    return props.alt ? (
      <div class={`picture placeholder ${props.class ?? ""}`} role="img" aria-label={props.alt} data-initials={initials} />
    ) : (
      <div class={`picture placeholder ${props.class ?? ""}`} aria-hidden="true" data-initials={initials} />
    );
  }
  return (
    <img
      class={`picture ${props.class ?? ""}`}
      src={props.url}
      alt={props.alt}
      loading={props.eager ? "eager" : "lazy"}
      decoding="async"
      onError={() => setFailed(true)}
    />
  );
}

export function Price(props: { money: Money | null | undefined }) {
  const { lang } = useShop();
  return props.money ? <span class="price">{formatMoney(props.money, lang)}</span> : null;
}

export function PriceRange(props: { start: Money | null; stop: Money | null }) {
  const { lang } = useShop();
  return <span class="price">{formatRange(props.start, props.stop, lang)}</span>;
}

export function Loading() {
  const { t } = useShop();
  return (
    <p class="loading" role="status">
      {t.loading}
    </p>
  );
}

/** A payload's `errors`, each led by the label of the field it names (`shippingAddress.city` → "City"). */
export function Problems(props: {
  problems: { message: string; field?: string | null }[];
  labels?: Record<string, string>;
}) {
  if (props.problems.length === 0) return null;
  return (
    <div class="problems" role="alert">
      {props.problems.map((problem, index) => {
        const label = props.labels?.[problem.field?.split(".").pop() ?? ""];
        return <p key={index}>{label ? `${label}: ${problem.message}` : problem.message}</p>;
      })}
    </div>
  );
}

/** A labelled input of the checkout and account forms; the required mark is not part of the label. */
export function Field(props: {
  name: string;
  label: string;
  value?: string | null;
  type?: "text" | "email" | "tel";
  autocomplete?: string;
  required?: boolean;
}) {
  return (
    <label class="field">
      <span class="label">
        {props.label}
        {props.required && <span aria-hidden="true"> *</span>}
      </span>
      <input
        name={props.name}
        type={(props.type ?? "text") as "text"}
        defaultValue={props.value ?? ""}
        autocomplete={props.autocomplete}
        required={props.required}
      />
    </label>
  );
}

/** The country's name in the shopper's language (CLDR through Intl); its code where the browser has none. */
export function countryName(code: string, lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}
