// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, createApiClient, TOKEN_STORAGE_KEY } from "../../web/lib/api";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

beforeEach(() => sessionStorage.clear());

describe("API client", () => {
  it("sends the stored token as a bearer token and the body as JSON", async () => {
    sessionStorage.setItem(TOKEN_STORAGE_KEY, "tok");
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    const api = createApiClient({ signInUrl: "/sign-in", fetch });
    await api.release("tk-1", "other");
    expect(fetch).toHaveBeenCalledWith("/api/tasks/tk-1/release", {
      method: "POST",
      headers: { authorization: "Bearer tok", "content-type": "application/json" },
      body: '{"reason":"other"}',
    });
  });

  it("answers an empty claim (204) with null", async () => {
    const api = createApiClient({
      signInUrl: "/sign-in",
      fetch: async () => new Response(null, { status: 204 }),
    });
    expect(await api.claim()).toBeNull();
  });

  it("forgets the token and goes to sign in on a 401", async () => {
    sessionStorage.setItem(TOKEN_STORAGE_KEY, "expired");
    const navigate = vi.fn();
    const api = createApiClient({
      signInUrl: "/dev/sign-in",
      navigate,
      fetch: async () => json(401, { error: "token expired" }),
    });
    await expect(api.myReviews()).rejects.toBeInstanceOf(ApiError);
    expect(navigate).toHaveBeenCalledWith("/dev/sign-in");
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it("carries the API's message, status and refused fields in the error", async () => {
    const api = createApiClient({
      signInUrl: "/sign-in",
      fetch: async () =>
        json(400, {
          error: "invalid request",
          fields: [{ path: "scores.empathy", message: "required" }],
        }),
    });
    const error = await api.score("tk-1", { scores: {} } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, message: "invalid request" });
    expect((error as ApiError).fieldSummary).toBe("scores.empathy: required");
  });
});
