import type { Rng } from "./random";

/** Channels the demo produces. */
export type DemoChannel = "voice" | "chat" | "email";

/** Quality dimensions, matching shared/rubric.ts. */
export interface Quality {
  consistency: number;
  scriptReliance: number;
  empathy: number;
}

/** A delivery site. Offsets are fixed (the chosen cities observe no daylight saving time). */
export interface DemoSite {
  id: string;
  city: string;
  /** Hours east of UTC. */
  utcOffsetHours: number;
  /** Local opening hour and closing hour (contacts start in [open, close)). */
  openHour: number;
  closeHour: number;
}

/** A BPO vendor as described in the manifest. */
export interface DemoVendor {
  id: string;
  name: string;
  /** Share of all contacts the vendor handles. */
  share: number;
  channelMix: Record<DemoChannel, number>;
  sites: DemoSite[];
  teams: string[];
  /** Added to every agent's true quality, per dimension. */
  effects: Quality;
}

/** An agent with the hidden properties the generator needs. */
export interface RosterAgent {
  agent: string;
  name: string;
  vendor: string;
  site: string;
  team: string;
  /** Share of all contacts (sums to 1 over the roster). */
  volumeWeight: number;
  scriptReciter: boolean;
  /** True quality before vendor, channel, drift and per-interaction noise. */
  baseline: Quality;
  /** Numeric user id the agent has in the vendor's Zendesk (comment author). */
  zendeskUserId: number;
}

/** Ids and names of the platform accounts a vendor exports from. */
export interface VendorAccounts {
  awsAccountId: string;
  connectInstanceId: string;
  connectAlias: string;
  recordingBucket: string;
  zendeskGroupId: number;
}

/** Vendors, agents and the platform accounts of one generated data set. */
export interface Roster {
  vendors: DemoVendor[];
  agents: RosterAgent[];
  accounts: Record<string, VendorAccounts>;
}

// Cities without daylight saving time, and opening hours chosen so that every contact starts on
// the same calendar day in UTC as locally: `day` then means the same thing to the generator
// and to the pipeline's UTC rollups.
export const VENDORS: readonly DemoVendor[] = [
  {
    id: "northwind-bpo",
    name: "Northwind BPO",
    share: 0.4,
    channelMix: { voice: 0.48, chat: 0.32, email: 0.2 },
    sites: [
      { id: "manila-ortigas", city: "Manila", utcOffsetHours: 8, openHour: 8, closeHour: 20 },
      { id: "cebu-it-park", city: "Cebu City", utcOffsetHours: 8, openHour: 8, closeHour: 20 },
    ],
    teams: ["orders-a", "orders-b", "billing"],
    effects: { consistency: 0.1, scriptReliance: -0.1, empathy: 0.05 },
  },
  {
    id: "bluepeak-support",
    name: "BluePeak Support",
    share: 0.33,
    channelMix: { voice: 0.35, chat: 0.42, email: 0.23 },
    sites: [
      { id: "bogota-chico", city: "Bogotá", utcOffsetHours: -5, openHour: 7, closeHour: 18 },
      { id: "medellin-poblado", city: "Medellín", utcOffsetHours: -5, openHour: 7, closeHour: 18 },
    ],
    teams: ["care-1", "care-2", "retention"],
    effects: { consistency: 0, scriptReliance: 0.1, empathy: 0.15 },
  },
  {
    id: "meridian-cx",
    name: "Meridian CX",
    share: 0.27,
    channelMix: { voice: 0.36, chat: 0.3, email: 0.34 },
    sites: [
      {
        id: "johannesburg-rosebank",
        city: "Johannesburg",
        utcOffsetHours: 2,
        openHour: 8,
        closeHour: 19,
      },
      { id: "nairobi-westlands", city: "Nairobi", utcOffsetHours: 3, openHour: 8, closeHour: 19 },
    ],
    teams: ["omni-1", "omni-2", "email-desk"],
    effects: { consistency: -0.05, scriptReliance: 0, empathy: -0.05 },
  },
];

const AGENT_NAMES: Record<string, readonly string[]> = {
  "northwind-bpo": [
    "Maricel",
    "Jerome",
    "Angelica",
    "Paolo",
    "Kristine",
    "Rafael",
    "Jasmine",
    "Mark",
    "Liza",
    "Carlo",
    "Bea",
    "Ronald",
    "Joy",
    "Miguel",
    "Trisha",
    "Enzo",
    "Camille",
    "Dexter",
  ],
  "bluepeak-support": [
    "Valentina",
    "Andrés",
    "Camila",
    "Santiago",
    "Daniela",
    "Felipe",
    "Natalia",
    "Juan",
    "Laura",
    "Sebastián",
    "Mariana",
    "Diego",
    "Paula",
    "Esteban",
    "Catalina",
    "Mateo",
    "Sofía",
    "Julián",
  ],
  "meridian-cx": [
    "Thandiwe",
    "Sipho",
    "Wanjiru",
    "Kevin",
    "Lerato",
    "Brian",
    "Amani",
    "Zanele",
    "Otieno",
    "Naledi",
    "Faith",
    "Tumelo",
    "Akinyi",
    "Thabo",
    "Grace",
    "Kagiso",
    "Mercy",
    "Lindiwe",
  ],
};

/** The agent id the fixtures use; kept in the roster so fixture-shaped examples line up. */
const FIXTURE_AGENT = 42;

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Builds vendors, agents (heavy-tailed volumes, hidden quality) and platform accounts. */
export function buildRoster(rng: Rng): Roster {
  const used = new Set<number>([FIXTURE_AGENT]);
  const drawNumber = (): number => {
    for (;;) {
      const n = rng.int(1, 999);
      if (!used.has(n)) {
        used.add(n);
        return n;
      }
    }
  };

  const agents: RosterAgent[] = [];
  const accounts: Record<string, VendorAccounts> = {};
  const recitersPerVendor = VENDORS.map(() => 1);
  const extra = rng.int(0, VENDORS.length - 1);
  recitersPerVendor[extra] = 2;

  VENDORS.forEach((vendor, vi) => {
    const count = rng.int(14, 16);
    const numbers = Array.from({ length: count }, (_, i) =>
      vi === 0 && i === 0 ? FIXTURE_AGENT : drawNumber(),
    ).sort((x, y) => x - y);
    const names = rng.shuffle(AGENT_NAMES[vendor.id] ?? []);
    // Lognormal weights with sigma 1.3: a handful of agents carry a large share of the volume.
    const raw = numbers.map(() => rng.lognormal(0, 1.3));
    const total = raw.reduce((s, w) => s + w, 0);
    // Reciters come from the middle of the volume ranking: enough contacts to be visible, but
    // not the vendor's top agent.
    const byVolume = raw
      .map((w, i) => ({ w, i }))
      .sort((x, y) => y.w - x.w)
      .slice(2, 10)
      .map((x) => x.i);
    const reciters = new Set(rng.shuffle(byVolume).slice(0, recitersPerVendor[vi] ?? 1));

    numbers.forEach((n, i) => {
      const general = rng.normal(0, 0.35);
      const dim = () => clamp(3.6 + general + rng.normal(0, 0.35), 1.8, 4.9);
      const reciter = reciters.has(i);
      const baseline: Quality = {
        consistency: dim(),
        scriptReliance: reciter ? clamp(rng.normal(1.65, 0.15), 1.3, 2) : dim(),
        empathy: reciter ? clamp(dim() - 0.6, 1.8, 4.9) : dim(),
      };
      const site = vendor.sites[i % vendor.sites.length] ?? vendor.sites[0];
      agents.push({
        agent: `agt-${String(n).padStart(4, "0")}`,
        name: names[i % names.length] ?? "Alex",
        vendor: vendor.id,
        site: site?.id ?? "main",
        team: rng.pick(vendor.teams),
        volumeWeight: (vendor.share * (raw[i] ?? 0)) / total,
        scriptReciter: reciter,
        baseline,
        zendeskUserId: 380_000_000_000 + rng.int(0, 999_999_999),
      });
    });

    accounts[vendor.id] = {
      awsAccountId: rng.digits(12).replace(/^0/, "4"),
      connectInstanceId: rng.uuid(),
      connectAlias: `${vendor.id.split("-")[0]}-fernway`,
      recordingBucket: `amazon-connect-${rng.hex(12)}`,
      zendeskGroupId: 360_000_000_000 + rng.int(0, 999_999_999),
    };
  });

  return { vendors: VENDORS.slice(), agents, accounts };
}
