// A typed client: `await f<T>(...)` is what the TypeScript grammar parses as a call of
// `await f`; both calls are still found, so neither connection is unused.
interface Ticket { id: string }
interface Repo { name: string }

export async function tickets(): Promise<Ticket[]> {
  return await ZOHODESK.request<Ticket[]>({ url: "https://desk.zoho.com/api/v1/tickets", type: "GET", connectionLinkName: "zohodesk" });
}

export async function repos(): Promise<Repo[]> {
  return await (ZOHODESK as any).request({ url: "https://api.github.com/user/repos", type: "GET", connectionLinkName: "github" });
}
