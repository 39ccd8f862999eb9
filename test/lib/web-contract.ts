import type { listAlerts } from "../../core/drift/alerts";
import type { agentTable } from "../../core/insights/agents";
import type { calibrationReport } from "../../core/insights/calibration";
import type { ChannelReport as ServerChannelReport } from "../../core/insights/channels";
import type { TrendSeries as ServerTrendSeries } from "../../core/insights/trends";
import type {
  AgentsReport,
  Alert,
  CalibrationReport,
  ChannelReport,
  TrendSeries,
} from "../../web/dashboard/types";

/**
 * The dashboard's reading of the insight API (web/dashboard/types.ts) checked against the
 * server's own types: `tsc -p .` fails when a field the page reads is renamed or retyped.
 */
type Fits<Server, Page> = [Server] extends [Page] ? true : false;
type Holds<T extends true> = T;

export type DashboardContract = [
  Holds<Fits<ServerTrendSeries, TrendSeries>>,
  Holds<Fits<Awaited<ReturnType<typeof listAlerts>>[number], Alert>>,
  Holds<Fits<ServerChannelReport, ChannelReport>>,
  Holds<Fits<Awaited<ReturnType<typeof agentTable>>, AgentsReport>>,
  Holds<Fits<Awaited<ReturnType<typeof calibrationReport>>, CalibrationReport>>,
];
