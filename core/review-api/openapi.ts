import { z } from "zod";
import { ScoreSubmissionSchema } from "../../shared/score";
import { TaskSchema } from "../../shared/task";
import { MAX_ALERT_NOTES } from "../drift/alerts";
import {
  AgentQuerySchema,
  AlertActionSchema,
  AlertNoteSchema,
  CalibrationQuerySchema,
  ChannelQuerySchema,
  DriftQuerySchema,
  TrendQuerySchema,
} from "./routes/insights";

const ErrorSchema = z.object({
  error: z.string(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const json = (schema: z.ZodType) => ({
  "application/json": { schema: z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) },
});
const error = (description: string) => ({ description, content: json(ErrorSchema) });
const tooMany = {
  description: "too many requests from you: wait the Retry-After header's seconds",
  headers: { "Retry-After": { schema: { type: "integer" }, description: "seconds to wait" } },
  content: json(ErrorSchema.extend({ retryAfterSeconds: z.number().int() })),
};
const taskPath = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string", pattern: "^tk-[0-9a-f]{24}$" },
};

/** Query parameters of a GET, from the zod schema that validates them. */
const queryParameters = (schema: z.ZodObject) =>
  Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: "query",
    required: !(field as z.ZodType).safeParse(undefined).success,
    schema: z.toJSONSchema(field as z.ZodType, { io: "input", unrepresentable: "any" }),
  }));

const read = (summary: string, schema: z.ZodObject) => ({
  get: {
    summary,
    parameters: queryParameters(schema),
    responses: {
      "200": { description: "the report" },
      "400": error("bad query, listing the bad fields"),
      "401": error("no or invalid token"),
      "403": error("reviewers, or another vendor's data"),
      "429": tooMany,
    },
  },
});

const alertAction = (summary: string) => ({
  post: {
    summary,
    parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
    requestBody: { content: json(AlertActionSchema) },
    responses: {
      "200": { description: "the updated alert, its history ending with this change" },
      "400": error("the alert is not in a state that allows this"),
      "404": error("no such alert"),
      "401": error("no or invalid token"),
      "403": error(
        "reviewers, a vendor's manager (only the QA team changes an alert's state), or another vendor's alert",
      ),
      "429": tooMany,
    },
  },
});

const alertNote = {
  post: {
    summary:
      "Add a note to an alert without changing its state: a vendor's response, or the QA team's reply",
    parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
    requestBody: { required: true, content: json(AlertNoteSchema) },
    responses: {
      "200": { description: "the updated alert, its history ending with the note" },
      "400": error(`an empty or too long note, or the alert already has ${MAX_ALERT_NOTES} notes`),
      "404": error("no such alert"),
      "401": error("no or invalid token"),
      "403": error("reviewers, or another vendor's alert"),
      "429": tooMany,
    },
  },
};

/** The review API's OpenAPI 3.1 document; request and response shapes come from the zod schemas. */
export function openApiDocument() {
  const common = {
    "401": error("no or invalid token"),
    "403": error("role, vendor or ownership forbids it"),
  };
  return {
    openapi: "3.1.0",
    info: { title: "Spotcheck API", version: "1" },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
    security: [{ bearer: [] }],
    paths: {
      "/api/tasks/claim": {
        post: {
          summary:
            "Claim the next task you may review; the lease is the queue's visibility timeout",
          responses: {
            "200": {
              description: "claimed",
              content: json(z.object({ task: TaskSchema.omit({ vendor: true }) })),
            },
            "204": { description: "nothing to review now" },
            ...common,
          },
        },
      },
      "/api/tasks/{id}": {
        get: {
          summary: "Your claimed task with its transcript",
          parameters: [taskPath],
          responses: {
            "200": { description: "task and transcript" },
            "404": error("no such task"),
            ...common,
          },
        },
      },
      "/api/tasks/{id}/extend": {
        post: {
          summary: "Extend your lease",
          parameters: [taskPath],
          responses: {
            "200": { description: "new lease" },
            "409": error("lease expired"),
            ...common,
          },
        },
      },
      "/api/tasks/{id}/release": {
        post: {
          summary: "Hand the task back, with a reason",
          parameters: [taskPath],
          requestBody: {
            content: json(
              z.object({
                reason: z.enum([
                  "conflict-of-interest",
                  "not-enough-context",
                  "language",
                  "technical-problem",
                  "other",
                ]),
              }),
            ),
          },
          responses: { "204": { description: "released" }, "400": error("bad body"), ...common },
        },
      },
      "/api/tasks/{id}/score": {
        post: {
          summary: "Submit your score, exactly once",
          parameters: [taskPath],
          requestBody: {
            content: json(
              ScoreSubmissionSchema.extend({ durationMs: z.number().int().min(0).optional() }),
            ),
          },
          responses: {
            "201": { description: "stored" },
            "400": error("invalid scores, listing the bad fields"),
            "409": error("already scored (with the stored score) or lease expired"),
            ...common,
          },
        },
      },
      "/api/me/reviews": {
        get: {
          summary: "Your recent reviews",
          responses: { "200": { description: "newest first" }, ...common },
        },
      },
      "/api/vendors": {
        get: {
          summary: "Vendors you may read",
          responses: { "200": { description: "vendor ids" }, ...common },
        },
      },
      "/api/trends": read(
        "Weighted trend of one dimension for a vendor, channel or agent, with 95% intervals",
        TrendQuerySchema,
      ),
      "/api/channels": read(
        "A vendor's channels compared: estimates, the largest gap and an agreement test",
        ChannelQuerySchema,
      ),
      "/api/agents": read(
        "Every agent of a vendor with an estimate and interval",
        AgentQuerySchema,
      ),
      "/api/drift": read("Drift alerts, newest first", DriftQuerySchema),
      "/api/drift/{id}/acknowledge": alertAction("Acknowledge an open alert"),
      "/api/drift/{id}/resolve": alertAction("Resolve an open or acknowledged alert"),
      "/api/drift/{id}/respond": alertNote,
      "/api/calibration": read(
        "Reviewer agreement (Krippendorff's alpha, ordinal), severity and skip rates",
        CalibrationQuerySchema,
      ),
      "/api/rubric": {
        get: {
          summary: "The current rubric with its behavioural anchors",
          security: [],
          responses: { "200": { description: "rubric" } },
        },
      },
    },
  };
}
