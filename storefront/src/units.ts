// Measurements typed in centimetres or inches, converted exactly: decimal strings become whole hundredths of a
// centimetre with the API's own rule (inches × 2.54, half up to two decimals), never through binary floats.
export type Unit = "CM" | "INCH";

const NUMBER = /^\s*(\d{1,4})(?:[.,](\d{1,4}))?\s*$/;

/** A typed value in hundredths of a centimetre; null when it is not a plain positive number. */
export function toCentiCm(text: string, unit: Unit): number | null {
  const match = NUMBER.exec(text);
  if (match === null) return null;
  const decimals = match[2] ?? "";
  const scaled = BigInt(match[1] + decimals); // the value × 10^decimals
  const scale = 10n ** BigInt(decimals.length);
  const numerator = scaled * (unit === "INCH" ? 254n : 100n); // hundredths of a cm × scale
  const whole = (numerator * 2n + scale) / (2n * scale); // half up
  return whole > 0n ? Number(whole) : null;
}

/** Hundredths of a centimetre as a Decimal string in centimetres ("9450" → "94.5"). */
export function cmText(centi: number): string {
  return trim(`${Math.floor(centi / 100)}.${String(centi % 100).padStart(2, "0")}`);
}

/** A length in centimetres (a Decimal string from the API) shown in `unit`, to two decimals at most. */
export function shown(cm: string, unit: Unit): string {
  const centi = toCentiCm(cm, "CM");
  if (centi === null) return cm;
  if (unit === "CM") return cmText(centi);
  const inchCenti = Math.round((centi * 100) / 254); // display only: what is sent stays the typed value
  return trim(`${Math.floor(inchCenti / 100)}.${String(inchCenti % 100).padStart(2, "0")}`);
}

function trim(text: string): string {
  return text.replace(/\.?0+$/, "");
}
