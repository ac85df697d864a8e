// Amounts are Lini's Decimal strings ("549000.00", "45.90"): formatted from the string itself, never through a
// float. Decimals as Lini's own display rule (core/money.py display_digits): the currency's customary ones
// (CLDR: none for rupiah), unless the amount has a fraction they would hide, then all that Lini sent.
export interface Money {
  amount: string;
  currency: string;
}

const LOCALES: Record<string, string> = { id: "id-ID", en: "en-GB", ms: "ms-MY", ar: "ar" };

export function formatMoney(money: Money, language: string): string {
  const sent = money.amount.split(".")[1] ?? "";
  const customary = new Intl.NumberFormat("en", { style: "currency", currency: money.currency }).resolvedOptions()
    .maximumFractionDigits ?? 2;
  const decimals = /^0*$/.test(sent.slice(customary)) ? Math.min(customary, sent.length) : sent.length;
  const format = new Intl.NumberFormat(LOCALES[language] ?? language, {
    style: "currency",
    currency: money.currency,
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
  // Intl formats a numeric string exactly (ES2023), with no rounding through a double
  return format.format(money.amount as Intl.StringNumericLiteral);
}

export function formatRange(start: Money | null, stop: Money | null, language: string): string {
  if (start === null) return "";
  if (stop === null || stop.amount === start.amount) return formatMoney(start, language);
  return `${formatMoney(start, language)} – ${formatMoney(stop, language)}`;
}
