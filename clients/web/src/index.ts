// The Ombaro API client: openapi-fetch over the types generated from openapi.json (src/schema.d.ts).
// Regenerate both with clients/web/generate.sh; never edit schema.d.ts by hand.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, operations, paths } from "./schema.js";

export type { components, operations, paths };
export type Schemas = components["schemas"];
export type Problem = Schemas["ProblemDetails"];

/** A client for one base URL (e.g. "https://api.example.com"); getToken supplies the bearer token, if any. */
export function createOmbaroClient(baseUrl: string, getToken: () => string | undefined = () => undefined) {
  const client = createClient<paths>({ baseUrl });
  const auth: Middleware = {
    onRequest({ request }) {
      const token = getToken();
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  };
  client.use(auth);
  return client;
}

export type OmbaroClient = ReturnType<typeof createOmbaroClient>;
