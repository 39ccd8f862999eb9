import { readFile } from "node:fs/promises";

/**
 * The local addresses of every TCP socket listening on `port`, read from Linux's
 * /proc/net/tcp and /proc/net/tcp6 (what `ss -ltn` shows), e.g. `127.0.0.1`, `::` or
 * `::ffff:127.0.0.1`.
 */
export async function listeningAddresses(port: number): Promise<string[]> {
  const addresses: string[] = [];
  for (const [file, decode] of [
    ["/proc/net/tcp", ipv4],
    ["/proc/net/tcp6", ipv6],
  ] as const) {
    const text = await readFile(file, "utf8").catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local, state] = [fields[1], fields[3]];
      // State 0A is TCP_LISTEN.
      if (!local || state !== "0A") continue;
      const [host, hexPort] = local.split(":");
      if (host && hexPort && Number.parseInt(hexPort, 16) === port) addresses.push(decode(host));
    }
  }
  return addresses;
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopback(address: string): boolean {
  return address === "::1" || /^(::ffff:)?127\./.test(address);
}

/** /proc writes an IPv4 address as one little-endian 32-bit hex word. */
function ipv4(hex: string): string {
  const bytes = hex.match(/../g) ?? [];
  return bytes
    .reverse()
    .map((b) => Number.parseInt(b, 16))
    .join(".");
}

/** /proc writes an IPv6 address as four little-endian 32-bit hex words. */
function ipv6(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse());
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(`${bytes[i]}${bytes[i + 1]}`.toLowerCase());
  if (groups.slice(0, 5).every((g) => g === "0000") && groups[5] === "ffff") {
    return `::ffff:${bytes
      .slice(12)
      .map((b) => Number.parseInt(b, 16))
      .join(".")}`;
  }
  if (groups.every((g) => g === "0000")) return "::";
  if (groups.slice(0, 7).every((g) => g === "0000") && groups[7] === "0001") return "::1";
  return groups.map((g) => g.replace(/^0+(?=.)/, "")).join(":");
}
