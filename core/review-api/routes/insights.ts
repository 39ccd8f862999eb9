import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { matchedRoutes } from "hono/route";
import { z } from "zod";
import { ForbiddenError, InvalidRequestError } from "../../../shared/errors";
import { GRANULARITIES } from "../../../shared/estimate";
import { DimensionSchema } from "../../../shared/rubric";
import { DaySchema, utcDay } from "../../../shared/time";
import { ChannelSchema, IdSchema } from "../../../shared/transcript";
import { VendorIdSchema } from "../../../shared/vendor";
import {
  ALERT_STATES,
  addAlertNote,
  listAlerts,
  transitionAlert,
  vendorOfAlert,
} from "../../drift/alerts";
import { agentTable } from "../../insights/agents";
import { calibrationReport } from "../../insights/calibration";
import { compareChannels } from "../../insights/channels";
import { allStrataDays, type InsightDeps, reader } from "../../insights/read";
import { queryTrend } from "../../insights/trends";
import { type ReadLimits, readLimiter } from "../rate-limit";
import type { Identity } from "../review-queue";
import { invalid } from "../validation";

type Env = { Variables: { who: Identity } };

const DAY_MS = 86_400_000;
/**
 * Longest range a trend or channel comparison may cover: enough for a year-on-year view.
 * Their cost does not grow with the range (one Query per channel, 1 MB pages).
 */
export const MAX_RANGE_DAYS = 800;
/**
 * Longest range of the agent table and the calibration report, whose cost grows with the
 * range: one Query per ISO week (agent-weeks and calibration marks are listed per week), so
 * at most 27 weeks: a quarter of the 115 that 800 days cost.
 */
export const MAX_WEEKLY_RANGE_DAYS = 182;

const Range = z.object({ from: DaySchema.optional(), to: DaySchema.optional() });

/**
 * The default range (the last 13 weeks) and the checks every range passes: `from` on or
 * before `to`, and at most `maxDays` apart.
 */
export function resolveRange(
  range: { from?: string | undefined; to?: string | undefined },
  now: Date,
  maxDays = MAX_RANGE_DAYS,
): { from: string; to: string } {
  const to = range.to ?? utcDay(now);
  const from = range.from ?? utcDay(new Date(Date.parse(`${to}T00:00:00Z`) - 90 * DAY_MS));
  const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
  if (Number.isNaN(span) || span < 0)
    throw new InvalidRequestError("the range is invalid", [
      { path: "from", message: "from must be a real day on or before to" },
    ]);
  if (span > maxDays)
    throw new InvalidRequestError(`the range is too long: at most ${maxDays} days here`, [
      { path: "from", message: `at most ${maxDays} days before to` },
    ]);
  return { from, to };
}

export const TrendQuerySchema = Range.extend({
  vendor: VendorIdSchema,
  channel: ChannelSchema.optional(),
  agent: IdSchema.optional(),
  dimension: DimensionSchema,
  granularity: z.enum(GRANULARITIES).default("week"),
}).strict();

export const ChannelQuerySchema = Range.extend({
  vendor: VendorIdSchema,
  dimension: DimensionSchema,
  granularity: z.enum(GRANULARITIES).default("month"),
}).strict();

export const AgentQuerySchema = Range.extend({
  vendor: VendorIdSchema,
  dimension: DimensionSchema,
}).strict();
export const DriftQuerySchema = z
  .object({ vendor: VendorIdSchema.optional(), state: z.enum(ALERT_STATES).optional() })
  .strict();
export const CalibrationQuerySchema = Range.extend({ vendor: VendorIdSchema.optional() }).strict();
export const AlertActionSchema = z.object({ note: z.string().trim().max(500).optional() }).strict();
export const AlertNoteSchema = z.object({ note: z.string().trim().min(1).max(500) }).strict();

/**
 * Who may read which vendor: admins and unaffiliated managers (QA leads) every vendor; a
 * manager affiliated with a vendor only that vendor; reviewers none. Returns the vendor the
 * caller is limited to, if any.
 */
export function readScope(who: Identity): { onlyVendor?: string } {
  if (who.role === "reviewer")
    throw new ForbiddenError("trends are for managers and admins: reviewers score, managers read");
  return who.role === "manager" && who.vendor ? { onlyVendor: who.vendor } : {};
}

/**
 * Only the QA team changes an alert's state: admins and managers with no vendor. A vendor's
 * manager may read their vendor's alerts and add a note, not acknowledge or resolve them.
 */
function assertQaTeam(who: Identity, action: string): void {
  readScope(who);
  if (who.role === "manager" && who.vendor)
    throw new ForbiddenError(
      `only the QA team may ${action} an alert: as ${who.vendor}'s manager, add a note with POST /api/drift/{id}/respond`,
    );
}

function assertVendor(who: Identity, vendor: string): void {
  const { onlyVendor } = readScope(who);
  if (onlyVendor !== undefined && onlyVendor !== vendor)
    throw new ForbiddenError(`you may read only ${onlyVendor}'s results`);
}

/**
 * The vendor a read that may span vendors is narrowed to: a vendor's manager always reads
 * their own (asking for another is forbidden), anyone else the one asked for, if any.
 */
function vendorFilter(
  who: Identity,
  asked: string | undefined,
): { onlyVendor?: string; vendor?: string } {
  const { onlyVendor } = readScope(who);
  if (onlyVendor && asked && asked !== onlyVendor)
    throw new ForbiddenError(`you may read only ${onlyVendor}'s results`);
  const vendor = onlyVendor ?? asked;
  return { ...(onlyVendor ? { onlyVendor } : {}), ...(vendor ? { vendor } : {}) };
}

/**
 * The read side of the API: trends, channel comparison, agent table, drift alerts and
 * calibration, for managers and admins, each request within the caller's {@link ReadLimits}.
 * Mounted on the review app under /api, after its authentication and its other /api routes.
 */
export function insightRoutes(deps: InsightDeps & { now(): Date; limits?: ReadLimits }): Hono<Env> {
  const app = new Hono<Env>();
  const limit = readLimiter(deps.limits);
  // Mounted under /api after the task and reviewer routes, "*" also sees their unknown paths:
  // only a request one of the routes below answers is checked and counted, so an unknown path
  // stays a 404 whoever asks. Readers are checked before the limit spends their points.
  app.use("*", async (c, next) => {
    if (!matchedRoutes(c).some((route) => route.method !== "ALL")) return next();
    readScope(c.get("who"));
    return limit(c, next);
  });

  app.get("/vendors", async (c) => {
    const { onlyVendor } = readScope(c.get("who"));
    if (onlyVendor) return c.json({ vendors: [onlyVendor] });
    const to = utcDay(deps.now());
    const from = utcDay(new Date(deps.now().getTime() - 400 * DAY_MS));
    const items = await allStrataDays(reader(deps), from, to);
    return c.json({ vendors: [...new Set(items.map((i) => i.vendor))].sort() });
  });

  app.get("/trends", zValidator("query", TrendQuerySchema, invalid), async (c) => {
    const q = c.req.valid("query");
    assertVendor(c.get("who"), q.vendor);
    const range = resolveRange(q, deps.now());
    return c.json(await queryTrend(reader(deps), { ...withoutUndefined(q), ...range }));
  });

  app.get("/channels", zValidator("query", ChannelQuerySchema, invalid), async (c) => {
    const q = c.req.valid("query");
    assertVendor(c.get("who"), q.vendor);
    return c.json(await compareChannels(reader(deps), { ...q, ...resolveRange(q, deps.now()) }));
  });

  app.get("/agents", zValidator("query", AgentQuerySchema, invalid), async (c) => {
    const q = c.req.valid("query");
    assertVendor(c.get("who"), q.vendor);
    return c.json(
      await agentTable(reader(deps), {
        ...q,
        ...resolveRange(q, deps.now(), MAX_WEEKLY_RANGE_DAYS),
      }),
    );
  });

  app.get("/drift", zValidator("query", DriftQuerySchema, invalid), async (c) => {
    const q = c.req.valid("query");
    const { vendor } = vendorFilter(c.get("who"), q.vendor);
    return c.json({
      alerts: await listAlerts(deps, {
        ...(vendor ? { vendor } : {}),
        ...(q.state ? { state: q.state } : {}),
      }),
    });
  });

  const AlertIdSchema = z.object({ id: z.string().min(1).max(400) });
  for (const [action, state] of [
    ["acknowledge", "acknowledged"],
    ["resolve", "resolved"],
  ] as const) {
    app.post(
      `/drift/:id/${action}`,
      zValidator("param", AlertIdSchema, invalid),
      zValidator("json", AlertActionSchema, invalid),
      async (c) => {
        const id = c.req.valid("param").id;
        const who = c.get("who");
        assertVendor(who, vendorOfAlert(id));
        assertQaTeam(who, action);
        const note = c.req.valid("json").note;
        return c.json({
          alert: await transitionAlert(deps, id, state, who.sub, deps.now(), note),
        });
      },
    );
  }

  app.post(
    "/drift/:id/respond",
    zValidator("param", AlertIdSchema, invalid),
    zValidator("json", AlertNoteSchema, invalid),
    async (c) => {
      const id = c.req.valid("param").id;
      const who = c.get("who");
      assertVendor(who, vendorOfAlert(id));
      const author = { sub: who.sub, ...(who.vendor ? { vendor: who.vendor } : {}) };
      return c.json({
        alert: await addAlertNote(deps, id, author, deps.now(), c.req.valid("json").note),
      });
    },
  );

  app.get("/calibration", zValidator("query", CalibrationQuerySchema, invalid), async (c) => {
    const q = c.req.valid("query");
    const { onlyVendor, vendor } = vendorFilter(c.get("who"), q.vendor);
    return c.json(
      await calibrationReport(reader(deps), {
        ...resolveRange(q, deps.now(), MAX_WEEKLY_RANGE_DAYS),
        ...(vendor ? { vendor } : {}),
        includeReviewers: onlyVendor === undefined,
      }),
    );
  });

  return app;
}

/** `value` without its undefined fields (exact optional properties forbid passing them on). */
export function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
