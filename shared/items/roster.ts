import type { ItemKey } from "./table";

/** An agent's roster entry. */
export const rosterKey = (agentId: string): ItemKey => ({ pk: `AGENT#${agentId}`, sk: "META" });
