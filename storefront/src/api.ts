// The one way this app talks to Lini: POST /graphql with the brand's `Lini-Storefront` header, typed by the
// documents graphql-codegen generated from src/graphql/ (see codegen.ts).
import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";

/** An operation as graphql-codegen writes it (src/gql/ or src/gql/pages/): its text, typed by what it takes and answers. */
type TypedDocumentString<Result, Variables> = DocumentTypeDecoration<Result, Variables> & { toString(): string };

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

/** Who is asking and in which language, kept by src/auth.ts: an access token for `Authorization: Bearer`, a
 * way to get one before the first request after a reload (`restore`) and a new one when it expired (`renew`). */
export const session: {
  bearer: string | null;
  language: string | null;
  restore: (() => Promise<void>) | null;
  renew: (() => Promise<boolean>) | null;
} = { bearer: null, language: null, restore: null, renew: null };

export async function execute<Result, Variables>(
  storefront: string,
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
  options: { anonymous?: boolean } = {},
): Promise<Result> {
  if (!options.anonymous && session.restore) await session.restore();
  const bearer = options.anonymous ? null : session.bearer;
  try {
    return await post(storefront, document, variables, bearer);
  } catch (error) {
    // an access token lives 15 minutes: renew it once with the refresh token and ask again
    if (bearer && error instanceof ApiError && error.code === "UNAUTHENTICATED" && (await session.renew?.()))
      return post(storefront, document, variables, session.bearer);
    throw error;
  }
}

async function post<Result, Variables>(
  storefront: string,
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
  bearer: string | null,
): Promise<Result> {
  const headers: Record<string, string> = { "Content-Type": "application/json", "Lini-Storefront": storefront };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (session.language) headers["Accept-Language"] = session.language;
  let response: Response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers,
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
