// Amounts are Lini's Decimal strings ("150000", "45.90"): formatted from the string itself, never through a
// float, with as many decimals as Lini sent (the currency's own: IDR 0, MYR 2).
export interface Money {
  amount: string;
  currency: string;
}

const LOCALES: Record<string, string> = { id: "id-ID", en: "en-GB", ms: "ms-MY", ar: "ar" };

export function formatMoney(money: Money, language: string): string {
  const decimals = money.amount.split(".")[1]?.length ?? 0;
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
