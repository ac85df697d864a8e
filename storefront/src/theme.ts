// The brand's colour from `storefront { theme { primaryColor } }`, with a text colour on it that keeps
// WCAG's 4.5:1 contrast: white or near-black, whichever contrasts more.
function channels(hex: string): [number, number, number] | null {
  let digits = hex.replace("#", "");
  if (digits.length === 3 || digits.length === 4) digits = [...digits.slice(0, 3)].map((d) => d + d).join("");
  if (!/^[0-9a-f]{6}/i.test(digits)) return null;
  return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16) / 255) as [number, number, number];
}

function luminance([r, g, b]: [number, number, number]): number {
  const linear = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

export function contrast(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

export function applyTheme(primary: string): void {
  const rgb = channels(primary) ?? channels("#1f2937")!;
  const brand = luminance(rgb);
  const onBrand = contrast(brand, 1) >= contrast(brand, luminance([0.07, 0.07, 0.07])) ? "#ffffff" : "#111111";
  const root = document.documentElement.style;
  root.setProperty("--brand", `#${rgb.map((c) => Math.round(c * 255).toString(16).padStart(2, "0")).join("")}`);
  root.setProperty("--on-brand", onBrand);
}
