// A frontend's use of the client generated from docs/openapi.json (`npm run generate` writes client/api.d.ts).
// Type-checked by ./test.sh: a change to a shape these calls rely on fails the build before it reaches a frontend.
import type { components, paths } from "./api";

type Schemas = components["schemas"];
type JsonBody<P extends keyof paths, M extends keyof paths[P]> =
  paths[P][M] extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;
type JsonAnswer<P extends keyof paths, M extends keyof paths[P], S extends number> =
  paths[P][M] extends { responses: { [K in S]: { content: { "application/json": infer A } } } } ? A : never;

export class ConnectraBackend {
  constructor(private readonly baseUrl: string, private readonly token: string) {}

  /** Contacts at director level or above in France, newest first. */
  async searchDirectors(): Promise<string[]> {
    const body: JsonBody<"/api/v3/contacts/query", "post"> = {
      filters: {
        and: [
          { field: "seniority", operator: "in", value: ["director", "vp"] },
          { field: "company_country", operator: "eq", value: "france" },
        ],
      },
      sort_by: "-created_at",
      limit: 25,
    };
    const page = await this.call<JsonAnswer<"/api/v3/contacts/query", "post", 200>>("POST", "/api/v3/contacts/query", body);
    const next: string | null = page.next;
    void next;
    return page.results.map((contact: Schemas["ContactListItem"]) => `${contact.first_name ?? ""} ${contact.last_name ?? ""} <${contact.email ?? "?"}>`);
  }

  async count(): Promise<number> {
    const body: JsonBody<"/api/v3/contacts/count", "post"> = { filters: { and: [{ field: "seniority", operator: "eq", value: "director" }] } };
    const answer = await this.call<JsonAnswer<"/api/v3/contacts/count", "post", 200>>("POST", "/api/v3/contacts/count", body);
    return answer.count;
  }

  async create(companyId: string): Promise<{ uuid: string; version: number }> {
    const body: Schemas["ContactCreate"] = {
      first_name: "Ada",
      last_name: "Lovelace",
      email: "ada@acme.com",
      company_id: companyId,
      seniority: "director",
      departments: ["engineering"],
      metadata: { city: "Paris", linkedin_url: "https://www.linkedin.com/in/ada" },
    };
    const created = await this.call<JsonAnswer<"/api/v3/contacts", "post", 201>>("POST", "/api/v3/contacts", body);
    return { uuid: created.uuid, version: created.version };
  }

  /** Merge patch: `mobile_phone: null` clears it, fields left out keep their value. */
  async patch(uuid: string, version: number): Promise<string | null> {
    const body: Schemas["ContactPatch"] = { title: "CTO", mobile_phone: null, metadata: { city: "Lyon" } };
    const changed = await this.call<JsonAnswer<"/api/v3/contacts/{contactUuid}", "patch", 200>>(
      "PATCH", `/api/v3/contacts/${uuid}/`, body, { "If-Match": `"${version}"`, "Content-Type": "application/merge-patch+json" });
    return changed.title;
  }

  async exportDirectors(): Promise<string> {
    const body: Schemas["ContactExportRequest"] = {
      query: { filters: { and: [{ field: "seniority", operator: "eq", value: "director" }] } },
      columns: ["contact_first_name", "contact_last_name", "contact_email", "company_name"],
    };
    const created = await this.call<JsonAnswer<"/api/v3/exports/contacts/export", "post", 201>>("POST", "/api/v3/exports/contacts/export", body);
    return created.status_url;
  }

  /** The download URL once the export has completed, else null. */
  async downloadUrl(exportId: string): Promise<string | null> {
    const status = await this.call<JsonAnswer<"/api/v3/exports/{exportId}/status", "get", 200>>("GET", `/api/v3/exports/${exportId}/status`);
    const state: Schemas["ExportStatus"] = status.status;
    return state === "completed" ? status.download_url : null;
  }

  private async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const init: RequestInit = { method, headers: { Authorization: `Bearer ${this.token}`, "Content-Type": "application/json", ...headers } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
    }
    const response = await fetch(this.baseUrl + path, init);
    if (!response.ok) {
      const problem = (await response.json()) as Schemas["Problem"];
      throw new Error(`${problem.status ?? response.status}: ${problem.detail ?? problem.title ?? ""}`);
    }
    return (await response.json()) as T;
  }
}
