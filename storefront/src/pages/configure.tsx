import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { execute, type Problem } from "../api";
import { isSignedIn, onSession } from "../auth";
import { Loading, Picture, Price, Problems } from "../components";
import {
  CartCreateDocument,
  CartCustomGarmentAddDocument,
  GarmentQuoteDocument,
  MadeToMeasureDocument,
  MyProfilesDocument,
  ProfileAddDocument,
  type CustomGarmentInput,
  type CustomGarmentOptionInput,
  type MadeToMeasureQuery,
  type ProfileFragment,
  type QuoteFragment,
} from "../gql/pages/graphql";
import { navigate } from "../router";
import { remember, useShop } from "../state";
import { formatMoney } from "../money";
import { cmText, shown, toCentiCm, type Unit } from "../units";
import { WORDS, type Words } from "../words";
import "../pages.css";

type Product = NonNullable<MadeToMeasureQuery["product"]>;
type Config = NonNullable<Product["madeToMeasureConfig"]>;
type Field = Config["garmentType"]["fields"][number];
type Group = Config["optionGroups"][number];

/** A value as the shopper typed it, in the unit it was typed in (so a unit switch loses nothing). */
interface Typed {
  text: string;
  unit: Unit;
}

const QUOTE_DELAY_MS = 350;

/** The made-to-measure configurator: measurements (typed or a saved profile), options, fabric, a live quote. */
export function ConfigurePage(props: { slug: string }) {
  const shop = useShop();
  const { storefront, currency, lang } = shop;
  const w = WORDS[lang];
  const [product, setProduct] = useState<Product | null | undefined>(undefined);
  const [unit, setUnit] = useState<Unit>("CM");
  const [typed, setTyped] = useState<Record<string, Typed>>({});
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [profiles, setProfiles] = useState<ProfileFragment[] | null>(null);
  const [profileId, setProfileId] = useState<string | null>(null);
  const [choices, setChoices] = useState<Record<string, string[]>>({});
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [fabricId, setFabricId] = useState<string | null>(null);
  const [quantity, setQuantity] = useState(1);
  const [quote, setQuote] = useState<QuoteFragment | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [quoting, setQuoting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [signedIn, setSignedIn] = useState(isSignedIn());
  const asked = useRef(0);
  const focusPending = useRef(false);

  useEffect(() => onSession(() => setSignedIn(isSignedIn())), []);

  // once the errors are drawn (the quote may still be on its way): the first field in error takes the focus
  useEffect(() => {
    const first = focusPending.current && document.querySelector<HTMLElement>(".configure-form [aria-invalid='true']");
    if (first) {
      focusPending.current = false;
      first.focus();
    }
  });

  useEffect(() => {
    execute(storefront.slug, MadeToMeasureDocument, { slug: props.slug, currency, language: lang }).then(
      (answer) => {
        setProduct(answer.product);
        const config = answer.product?.madeToMeasureConfig;
        if (!config) return;
        setFabricId((before) => before ?? config.fabrics.find((f) => f.inStock)?.id ?? config.fabrics[0]?.id ?? null);
        setChoices((before) => {
          const next = { ...before };
          for (const group of config.optionGroups)
            if (group.required && group.kind === "SINGLE" && !next[group.code]?.length && group.values[0])
              next[group.code] = [group.values[0].code];
          return next;
        });
      },
      () => setProduct(null),
    );
  }, [props.slug, currency, lang]);

  const config = product?.madeToMeasureConfig ?? null;

  useEffect(() => {
    if (product) document.title = `${product.name} · ${storefront.name}`;
  }, [product]);

  useEffect(() => {
    if (!config || !signedIn) return setProfiles(null);
    execute(storefront.slug, MyProfilesDocument, { garmentType: config.garmentType.code }).then(
      (answer) => setProfiles(answer.me?.measurementProfiles ?? null),
      () => setProfiles(null),
    );
  }, [config?.garmentType.code, signedIn, lang]);

  // what is sent: every typed value in exact centimetres (inches converted as Lini converts them), or the profile
  const parsed = useMemo(() => {
    const values: { code: string; value: string }[] = [];
    const unreadable = new Set<string>();
    for (const field of config?.garmentType.fields ?? []) {
      const entry = typed[field.code];
      if (!entry || entry.text.trim() === "") continue;
      const centi = toCentiCm(entry.text, entry.unit);
      if (centi === null) unreadable.add(field.code);
      else values.push({ code: field.code, value: cmText(centi) });
    }
    return { values, unreadable };
  }, [typed, config]);

  const input = useMemo<CustomGarmentInput | null>(() => {
    if (!product || !config || fabricId === null) return null;
    const options = config.optionGroups.flatMap((group): CustomGarmentOptionInput[] => {
      if (group.kind === "TEXT") {
        const text = (texts[group.code] ?? "").trim();
        return text ? [{ group: group.code, text }] : [];
      }
      const values = choices[group.code] ?? [];
      return values.length ? [{ group: group.code, values }] : [];
    });
    const measured = profileId !== null ? { measurementProfileId: profileId } : { measurements: parsed.values, unit: "CM" };
    return { productId: product.id, fabricId, options, quantity, ...measured };
  }, [product, config, fabricId, choices, texts, profileId, parsed, quantity]);

  const started = profileId !== null || parsed.values.length > 0;

  useEffect(() => {
    if (input === null || !started) {
      setQuote(null);
      setProblems([]);
      return;
    }
    const ticket = ++asked.current;
    setQuoting(true);
    const timer = setTimeout(() => {
      execute(storefront.slug, GarmentQuoteDocument, { input, currency })
        .then(({ customGarmentQuote }) => {
          if (ticket !== asked.current) return; // a later change was asked for meanwhile
          setQuote(customGarmentQuote.quote ?? null);
          setProblems(customGarmentQuote.errors);
        })
        .catch(() => ticket === asked.current && setProblems([{ field: null, code: "ERROR", message: w.error }]))
        .finally(() => ticket === asked.current && setQuoting(false));
    }, QUOTE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [JSON.stringify(input), started, currency]);

  if (product === undefined) return <Loading />;
  if (product === null || config === null)
    return (
      <div class="page narrow">
        <h1>{product === null ? shop.t.notFound : w.notMadeToMeasure}</h1>
        <a href={shop.base}>{shop.t.back}</a>
      </div>
    );

  const byField = fieldProblems(problems, config);
  const messageFor = (field: Field): string | null => {
    if (parsed.unreadable.has(field.code)) return w.notANumber;
    const problem = byField.measurements[field.code];
    if (!problem) return null;
    if (problem.code === "MEASUREMENT_REQUIRED") return showAll || touched.has(field.code) ? w.required : null;
    if (problem.code === "MEASUREMENT_OUT_OF_RANGE")
      return w.outOfRange(shown(field.minCm, unit), shown(field.maxCm, unit), unitName(unit, w));
    return problem.message;
  };
  const general = problems.filter((p) => !byField.placed.has(p));

  function type(code: string, text: string) {
    setTyped((before) => ({ ...before, [code]: { text, unit } }));
    setProfileId(null);
    setNotice(null);
  }

  function useProfile(id: string) {
    const profile = profiles?.find((p) => p.id === id);
    if (!profile) {
      setProfileId(null);
      return;
    }
    // as a shopper would type them: "94", not the API's "94.00"
    setTyped(Object.fromEntries(profile.measurements.map((m) => [m.code, { text: shown(m.cm, "CM"), unit: "CM" as Unit }])));
    setProfileId(profile.id);
  }

  async function saveProfile(form: HTMLFormElement) {
    if (!config) return;
    const name = (form.elements.namedItem("profileName") as HTMLInputElement).value.trim();
    setBusy(true);
    try {
      const { measurementProfileCreate: saved } = await execute(storefront.slug, ProfileAddDocument, {
        input: { garmentType: config.garmentType.code, name, measurements: parsed.values, unit: "CM" },
        storefront: storefront.slug,
      });
      setShowAll(true);
      if (saved.measurementProfile) {
        setProfiles((before) => [saved.measurementProfile!, ...(before ?? [])]);
        setProfileId(saved.measurementProfile.id);
        setNotice(w.profileSaved);
        setProblems([]);
      } else setProblems(saved.errors);
    } catch {
      setProblems([{ field: null, code: "ERROR", message: w.error }]);
    } finally {
      setBusy(false);
    }
  }

  async function add() {
    setShowAll(true);
    if (input === null || quote === null || problems.length > 0 || parsed.unreadable.size > 0) {
      focusPending.current = true;
      setProblems((before) => [...before]); // draw again, now showing every field's error
      return;
    }
    setBusy(true);
    setNotice(null);
    try {
      let token = shop.cart?.token ?? null;
      if (token === null) {
        const { checkoutCreate } = await execute(storefront.slug, CartCreateDocument, {
          input: { currency, language: lang, lines: [] },
        });
        if (!checkoutCreate.checkout) return setProblems(checkoutCreate.errors);
        token = checkoutCreate.checkout.token;
        remember(storefront.slug, "cart", token);
      }
      const { checkoutCustomGarmentAdd: added } = await execute(storefront.slug, CartCustomGarmentAddDocument, {
        token,
        input,
      });
      if (added.checkout) shop.setCart(added.checkout);
      setProblems(added.errors);
      if (added.errors.length === 0) setNotice(w.added);
    } catch {
      setProblems([{ field: null, code: "ERROR", message: w.error }]);
    } finally {
      setBusy(false);
    }
  }

  const fabric = config.fabrics.find((f) => f.id === fabricId) ?? null;

  return (
    <div class="page configure">
      <nav class="crumbs" aria-label="breadcrumb">
        <a href={shop.base}>{shop.t.allProducts}</a>
        <span aria-hidden="true"> / </span>
        <a href={`${shop.base}p/${encodeURIComponent(product.slug)}`}>{product.name}</a>
      </nav>
      <div class="configure-form">
        <h1>{product.name}</h1>
        <p class="muted">
          {w.configure} · {config.garmentType.name}
        </p>

        <fieldset class="measurements" data-testid="measurements">
          <legend>{w.measurements}</legend>
          <div class="measure-tools">
            <fieldset class="unit-switch">
              <legend class="label">{w.unit}</legend>
              {(["CM", "INCH"] as Unit[]).map((value) => (
                <label key={value} class="option">
                  <input type="radio" name="unit" value={value} checked={unit === value} onChange={() => setUnit(value)} />
                  <span>{unitName(value, w)}</span>
                </label>
              ))}
            </fieldset>
            {signedIn && profiles !== null && (
              <label class="field">
                <span class="label">{w.savedProfiles}</span>
                <select
                  value={profileId ?? ""}
                  onChange={(event) => useProfile(event.currentTarget.value)}
                  data-testid="profile"
                >
                  <option value="">{w.noProfile}</option>
                  {profiles.map((profile) => (
                    <option value={profile.id} key={profile.id}>
                      {profile.name} ({w.version(profile.version)})
                    </option>
                  ))}
                </select>
              </label>
            )}
          </div>
          {!signedIn && (
            <p class="small muted">
              <a href={`${shop.base}account`}>{w.signInForProfiles}</a>
            </p>
          )}
          {config.garmentType.fields.map((field) => {
            const entry = typed[field.code];
            const value = entry ? (entry.unit === unit ? entry.text : converted(entry, unit)) : "";
            const message = messageFor(field);
            const id = `m-${field.code}`;
            return (
              <div class="measure" key={field.code}>
                <label class="field" for={id}>
                  <span class="label">
                    <span>{field.label}</span>
                    {field.required ? <span aria-hidden="true"> *</span> : <small class="muted"> ({w.optional})</small>}
                  </span>
                </label>
                <div class="measure-input">
                  <input
                    id={id}
                    name={field.code}
                    inputMode="decimal"
                    value={value}
                    required={field.required}
                    aria-invalid={message ? "true" : "false"}
                    aria-describedby={`${id}-hint${message ? ` ${id}-error` : ""}`}
                    onInput={(event) => type(field.code, event.currentTarget.value)}
                    onBlur={() => setTouched((before) => new Set(before).add(field.code))}
                    data-testid={`measure-${field.code}`}
                  />
                  <span class="unit" aria-hidden="true">
                    {unitName(unit, w)}
                  </span>
                </div>
                <p class="hint small" id={`${id}-hint`} dir="auto">
                  {field.hint} <span class="muted">({w.range(shown(field.minCm, unit), shown(field.maxCm, unit), unitName(unit, w))})</span>
                </p>
                {message && (
                  <p class="field-error" id={`${id}-error`} data-testid={`error-${field.code}`}>
                    {message}
                  </p>
                )}
              </div>
            );
          })}
          {signedIn && (
            <form
              class="save-profile"
              onSubmit={(event) => {
                event.preventDefault();
                saveProfile(event.currentTarget);
              }}
            >
              <label class="field">
                <span class="label">{w.profileName}</span>
                <input name="profileName" required maxLength={100} />
              </label>
              <button type="submit" class="button secondary" disabled={busy || parsed.values.length === 0}>
                {w.saveProfile}
              </button>
            </form>
          )}
        </fieldset>

        {config.optionGroups.length > 0 && (
          <div class="option-groups">
            <h2>{w.options}</h2>
            {config.optionGroups.map((group) => (
              <OptionGroup
                key={group.code}
                group={group}
                chosen={choices[group.code] ?? []}
                text={texts[group.code] ?? ""}
                problem={byField.options[group.code]?.message ?? null}
                w={w}
                onChoose={(values) => setChoices((before) => ({ ...before, [group.code]: values }))}
                onText={(text) => setTexts((before) => ({ ...before, [group.code]: text }))}
              />
            ))}
          </div>
        )}

        <fieldset class="fabrics">
          <legend>{w.fabric}</legend>
          <div class="swatches">
            {config.fabrics.map((item) => (
              <label class="swatch" key={item.id}>
                <input
                  type="radio"
                  name="fabric"
                  value={item.id}
                  checked={fabricId === item.id}
                  onChange={() => setFabricId(item.id)}
                />
                <Picture url={item.images[0]} alt="" name={item.name} class="swatch-picture" />
                <span class="swatch-text">
                  <strong dir="auto">{item.name}</strong>
                  {/* the brand's own words, in its language: their own direction inside a right-to-left page */}
                  <small class="muted" dir="auto">
                    {[item.composition, item.colour, item.pattern].filter(Boolean).join(" · ")}
                  </small>
                  {item.pricePerMetre && (
                    <small>
                      <Price money={item.pricePerMetre} /> {w.perMetre}
                    </small>
                  )}
                  {!item.inStock && <small class="muted">{w.fabricRestock(item.leadTimeDays)}</small>}
                </span>
              </label>
            ))}
          </div>
          {byField.fabric && <p class="field-error">{byField.fabric.message}</p>}
        </fieldset>
      </div>

      <aside class="summary quote" aria-label={w.quote} data-testid="quote" aria-busy={quoting}>
        <h2>{w.quote}</h2>
        {quote === null ? (
          <p class="muted" role="status">
            {quoting ? w.quoting : w.fillToQuote}
          </p>
        ) : (
          <Breakdown quote={quote} config={config} w={w} lang={lang} fabricName={fabric?.name ?? quote.fabric.name} />
        )}
        <label class="field">
          <span class="label">{w.quantity}</span>
          <input
            type="number"
            min={1}
            max={50}
            value={quantity}
            onInput={(event) => setQuantity(Math.max(1, Number(event.currentTarget.value) || 1))}
          />
        </label>
        <Problems problems={general} />
        <button type="button" class="button wide" onClick={add} disabled={busy} data-testid="add-garment">
          {w.addToCart}
        </button>
        {notice && (
          <p class="notice" role="status">
            {notice}{" "}
            {notice === w.added && (
              <a
                href={`${shop.base}checkout`}
                onClick={(event) => {
                  event.preventDefault();
                  navigate("checkout");
                }}
              >
                {w.goToCheckout}
              </a>
            )}
          </p>
        )}
      </aside>
    </div>
  );
}

function unitName(unit: Unit, w: Words): string {
  return unit === "CM" ? w.cm : w.inch;
}

/** A value typed in the other unit, shown in this one (what is sent stays the value as typed). */
function converted(entry: Typed, unit: Unit): string {
  const centi = toCentiCm(entry.text, entry.unit);
  return centi === null ? entry.text : shown(cmText(centi), unit);
}

/** The payload's errors by what they name: `measurements.<CODE>`, `options.<GROUP>…`, `fabricId`. */
function fieldProblems(problems: Problem[], config: Config) {
  const measurements: Record<string, Problem> = {};
  const options: Record<string, Problem> = {};
  let fabric: Problem | null = null;
  const placed = new Set<Problem>();
  for (const problem of problems) {
    const parts = (problem.field ?? "").replace(/^input\./, "").split(".");
    if (parts[0] === "measurements" && parts[1]) {
      const code = parts[1].toUpperCase();
      if (config.garmentType.fields.some((f) => f.code === code)) {
        measurements[code] ??= problem;
        placed.add(problem);
      }
    } else if (parts[0] === "options" && parts[1]) {
      const group = config.optionGroups.find((g) => g.code === parts[1]) ?? null;
      if (group) {
        options[group.code] ??= problem;
        placed.add(problem);
      }
    } else if (parts[0] === "fabricId") {
      fabric = problem;
      placed.add(problem);
    }
  }
  return { measurements, options, fabric, placed };
}

/** What an option adds to the price, as plain text (an option's face is one box, its lines centred); nothing when
 * it adds nothing. */
function Surcharge(props: { money: { amount: string; currency: string } | null | undefined }) {
  const { lang } = useShop();
  if (!props.money || Number(props.money.amount) === 0) return null;
  return <small class="muted"> + {formatMoney(props.money, lang)}</small>;
}

function OptionGroup(props: {
  group: Group;
  chosen: string[];
  text: string;
  problem: string | null;
  w: Words;
  onChoose(values: string[]): void;
  onText(text: string): void;
}) {
  const { group, w } = props;
  if (group.kind === "TEXT")
    return (
      <label class="field option-text">
        <span class="label">
          {group.name}
          <Surcharge money={group.surcharge} />
        </span>
        <input
          name={`option-${group.code}`}
          value={props.text}
          maxLength={group.maxLength || undefined}
          onInput={(event) => props.onText(event.currentTarget.value)}
          dir="auto"
        />
        {props.problem && <span class="field-error">{props.problem}</span>}
      </label>
    );
  const multiple = group.kind === "MULTIPLE";
  const values = !multiple && !group.required ? [{ code: "", name: w.none, surcharge: null }, ...group.values] : group.values;
  return (
    <fieldset class="choice">
      <legend>
        {group.name}
        {group.required && <span aria-hidden="true"> *</span>}
      </legend>
      <div class="options">
        {values.map((value) => (
          <label class="option" key={value.code}>
            <input
              type={multiple ? "checkbox" : "radio"}
              name={`option-${group.code}`}
              value={value.code}
              checked={value.code === "" ? props.chosen.length === 0 : props.chosen.includes(value.code)}
              onChange={(event) => {
                if (!multiple) return props.onChoose(value.code ? [value.code] : []);
                const on = event.currentTarget.checked;
                props.onChoose(on ? [...props.chosen, value.code] : props.chosen.filter((c) => c !== value.code));
              }}
            />
            <span>
              {value.name}
              <Surcharge money={value.surcharge} />
            </span>
          </label>
        ))}
      </div>
      {props.problem && <p class="field-error">{props.problem}</p>}
    </fieldset>
  );
}

function Breakdown(props: { quote: QuoteFragment; config: Config; w: Words; lang: string; fabricName: string }) {
  const { quote, config, w } = props;
  const valueName = (group: string, value: string) => {
    const found = config.optionGroups.find((g) => g.code === group);
    return value ? (found?.values.find((v) => v.code === value)?.name ?? value) : (found?.name ?? group);
  };
  const readyBy = quote.readyBy
    ? new Intl.DateTimeFormat(props.lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${quote.readyBy}T00:00:00Z`))
    : null;
  return (
    <>
      <dl class="totals breakdown" data-testid="breakdown">
        <div>
          <dt>{w.making}</dt>
          <dd>
            <Price money={quote.base} />
          </dd>
        </div>
        {quote.optionCharges.map((charge) => (
          <div key={charge.group + charge.value}>
            <dt>{valueName(charge.group, charge.value)}</dt>
            <dd>
              <Price money={charge.amount} />
            </dd>
          </div>
        ))}
        {quote.fabricCharge && (
          <div>
            <dt>
              {w.fabricCharge(quote.fabricCharge.metres)} · {props.fabricName}
            </dt>
            <dd>
              <Price money={quote.fabricCharge.amount} />
            </dd>
          </div>
        )}
        {quote.adjustments.map((adjustment) => (
          <div key={adjustment.code}>
            <dt>{adjustment.label}</dt>
            <dd>
              <Price money={adjustment.amount} />
            </dd>
          </div>
        ))}
        <div>
          <dt>{w.unitPrice}</dt>
          <dd>
            <Price money={quote.unitPrice} />
          </dd>
        </div>
        <div class="grand">
          <dt>{w.total}</dt>
          <dd data-testid="quote-total">
            <Price money={quote.total} />
          </dd>
        </div>
      </dl>
      <p class="small">
        {w.sizeBand}: <strong data-testid="size-band">{quote.sizeBand}</strong>
      </p>
      {readyBy && (
        <p class="ready" data-testid="ready-by">
          {w.readyBy}: <strong>{readyBy}</strong> <small class="muted">({w.productionDays(quote.productionDays)})</small>
        </p>
      )}
    </>
  );
}
