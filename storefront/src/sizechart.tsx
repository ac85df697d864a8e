// The product's size chart (`Product.sizeChart`): a disclosure with a table of body measurements per size, the
// chosen size's row marked, each code (LD, PB, PL…) written out for the shopper with the code beside it.
import type { ProductQuery } from "./gql/graphql";
import { useBrowseText } from "./i18n-browse";
import { useShop } from "./state";

type Rows = NonNullable<ProductQuery["product"]>["sizeChart"];

export function SizeChart(props: { rows: Rows; chosen: string | null }) {
  const words = useBrowseText();
  const { t } = useShop();
  if (props.rows.length === 0) return null;
  const codes = [...new Set(props.rows.flatMap((row) => row.measurements.map((m) => m.code)))];
  return (
    <details class="size-chart" data-testid="size-chart">
      <summary>{words.sizeChart}</summary>
      <div class="table-scroll">
        <table>
          <caption>{words.sizeChartCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.size}</th>
              {codes.map((code) => (
                <th scope="col" key={code}>
                  {words.measurements[code] ?? code} <abbr class="muted small">{code}</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr
                key={row.size}
                class={row.size === props.chosen ? "chosen" : undefined}
                aria-current={row.size === props.chosen ? "true" : undefined}
              >
                <th scope="row">{row.size}</th>
                {codes.map((code) => (
                  <td key={code}>{row.measurements.find((m) => m.code === code)?.value ?? "–"}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
