import type { Rubric } from "../../shared/rubric";
import type { DimensionScore, ScoreSubmission } from "../../shared/score";
import type { ReviewerTask } from "../../shared/task";
import type { Transcript } from "../../shared/transcript";

/** Where every page keeps the bearer token (the Cognito ID token, or the local dev token). */
export const TOKEN_STORAGE_KEY = "spotcheck.token";

/** One field the API refused, as `errorResponse` writes it. */
export interface FieldError {
  path: string;
  message: string;
}

/** The JSON body of a refused request. */
export interface ErrorBody {
  error?: string;
  fields?: FieldError[];
}

/** A response other than 2xx, with the API's message and body. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: ErrorBody | null,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The refused fields as one line (`path: message; …`), if the API named any. */
  get fieldSummary(): string | undefined {
    const fields = this.body?.fields;
    if (!fields || fields.length === 0) return undefined;
    return fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join("; ");
  }
}

/** The transcript a reviewer reads: blind, without the vendor. */
export type ReviewerTranscript = Omit<Transcript, "vendor">;

/** A claimed task with its transcript. */
export interface ClaimedTask {
  task: ReviewerTask;
  transcript: ReviewerTranscript;
}

/** The body of a score submission. */
export type ScoreBody = ScoreSubmission & { durationMs?: number };

/** Why a reviewer hands a task back (the API's `RELEASE_REASONS`). */
export type ReleaseReason =
  | "conflict-of-interest"
  | "not-enough-context"
  | "language"
  | "technical-problem"
  | "other";

/** One of the caller's own scored reviews. */
export interface MyReview {
  taskId: string;
  interactionId: string;
  rubricVersion: string;
  scores: Partial<Record<string, DimensionScore>>;
  comment?: string;
  durationMs: number;
  submittedAt: string;
}

/** What the client needs from the page: where to send people who are not signed in. */
export interface ApiClientOptions {
  /** Where a 401 sends the browser (a function when it depends on the current page). */
  signInUrl: string | (() => string);
  /**
   * How often a read refused with 429 is asked again, after the Retry-After the API gave
   * (1–10 s).
   * @default 0
   */
  readRetries?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default sessionStorage */
  storage?: Storage;
  /** @default location.assign */
  navigate?: (url: string) => void;
}

/** The review API as the pages call it: one typed method per endpoint. */
export interface ApiClient {
  /** The stored bearer token, if any. */
  token(): string | null;
  /** Forgets the token and goes to `url`. */
  signOut(url: string): void;
  /** Any authenticated GET, for the read-side endpoints. */
  get<T>(path: string): Promise<T>;
  /** Any authenticated POST with a JSON body. */
  post<T>(path: string, body: unknown): Promise<T>;
  rubric(): Promise<Rubric>;
  /** The next task, or null when nothing is waiting. */
  claim(): Promise<ReviewerTask | null>;
  task(taskId: string): Promise<ClaimedTask>;
  extend(taskId: string): Promise<ReviewerTask>;
  release(taskId: string, reason: string): Promise<void>;
  score(taskId: string, body: ScoreBody): Promise<void>;
  myReviews(): Promise<MyReview[]>;
}

/**
 * The one API client of every page. It sends the bearer token, turns a non-2xx answer into
 * an {@link ApiError} carrying the API's message, and on a 401 forgets the token and sends
 * the browser to sign in.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const storage = options.storage ?? sessionStorage;
  const navigate = options.navigate ?? ((url: string) => location.assign(url));

  const signInUrl = () =>
    typeof options.signInUrl === "string" ? options.signInUrl : options.signInUrl();

  async function request<T>(method: string, path: string, body?: unknown, attempt = 0): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${storage.getItem(TOKEN_STORAGE_KEY) ?? ""}`,
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await doFetch(path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(
        "The server did not answer: check your connection and try again.",
        0,
        null,
      );
    }
    // Over the per-user read limit: wait as told and ask again (reads only: a write may
    // have happened).
    if (res.status === 429 && method === "GET" && attempt < (options.readRetries ?? 0)) {
      const wait = Math.min(10, Math.max(1, Number(res.headers.get("retry-after")) || 1));
      await new Promise((done) => setTimeout(done, wait * 1000));
      return request(method, path, body, attempt + 1);
    }
    if (res.status === 401) {
      storage.removeItem(TOKEN_STORAGE_KEY);
      navigate(signInUrl());
      throw new ApiError("Signed out: sign in again.", 401, null);
    }
    const data: unknown = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) {
      const error = isErrorBody(data) ? data : null;
      throw new ApiError(
        typeof error?.error === "string" ? error.error : `the request failed (HTTP ${res.status})`,
        res.status,
        error,
      );
    }
    return data as T;
  }

  return {
    token: () => storage.getItem(TOKEN_STORAGE_KEY),
    signOut(url) {
      storage.removeItem(TOKEN_STORAGE_KEY);
      navigate(url);
    },
    get: (path) => request("GET", path),
    post: (path, body) => request("POST", path, body),
    async rubric() {
      const res = await doFetch("/api/rubric");
      if (!res.ok) throw new ApiError("the rubric could not be loaded", res.status, null);
      return (await res.json()) as Rubric;
    },
    async claim() {
      const data = await request<{ task: ReviewerTask } | null>("POST", "/api/tasks/claim");
      return data?.task ?? null;
    },
    task: (taskId) => request("GET", `/api/tasks/${encodeURIComponent(taskId)}`),
    async extend(taskId) {
      const data = await request<{ task: ReviewerTask }>(
        "POST",
        `/api/tasks/${encodeURIComponent(taskId)}/extend`,
      );
      return data.task;
    },
    async release(taskId, reason) {
      await request("POST", `/api/tasks/${encodeURIComponent(taskId)}/release`, { reason });
    },
    async score(taskId, body) {
      await request("POST", `/api/tasks/${encodeURIComponent(taskId)}/score`, body);
    },
    async myReviews() {
      return (await request<{ reviews: MyReview[] }>("GET", "/api/me/reviews")).reviews;
    },
  };
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === "object" && value !== null;
}
