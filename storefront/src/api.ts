// The one way this app talks to Lini: POST /graphql with the brand's `Lini-Storefront` header, typed by the
// documents graphql-codegen generated from src/graphql/ (see codegen.ts).
import type { TypedDocumentString } from "./gql/graphql";

/** A mutation's expected failure, as every Lini payload's `errors` lists them. */
export interface Problem {
  field: string | null;
  code: string;
  message: string;
}

/** A request that failed as a whole (HTTP, or a GraphQL error such as STOREFRONT_NOT_FOUND). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** The GraphQL endpoint is Lini's own, beside /shop/ (same origin, no CORS). */
export const ENDPOINT = "/graphql";

export async function execute<Result, Variables>(
  storefront: string,
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  let response: Response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Lini-Storefront": storefront },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch {
    throw new ApiError("network", "NETWORK");
  }
  const body = (await response.json().catch(() => ({}))) as {
    data?: Result;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (body.errors?.length) {
    const first = body.errors[0];
    throw new ApiError(first.message, first.extensions?.code ?? "ERROR");
  }
  if (!response.ok || body.data === undefined) throw new ApiError(`HTTP ${response.status}`, "HTTP");
  return body.data;
}
