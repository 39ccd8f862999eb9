/**
 * `value` as a path on this origin (path, query and hash), or undefined when it names
 * another origin, is not a path, or is one `refuse` rejects (a sign-in page must never
 * send people back to itself). `//host` and `/\host` resolve to other origins and are
 * refused before parsing as well as by the origin check.
 */
export function localPath(
  value: string | null | undefined,
  origin: string,
  refuse: (pathname: string) => boolean,
): string | undefined {
  if (typeof value !== "string" || !value.startsWith("/")) return undefined;
  if (value.startsWith("//") || value.startsWith("/\\")) return undefined;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return undefined;
  }
  if (url.origin !== origin || refuse(url.pathname)) return undefined;
  return url.pathname + url.search + url.hash;
}
