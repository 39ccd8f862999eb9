import { z } from "zod";

/**
 * Vendor ids.
 *
 * A vendor id names an outsourcing vendor everywhere: transcripts, S3 metadata and key paths,
 * the roster, the sampling policy, the Cognito `custom:vendor` attribute and the read API.
 * People type it in all of these, so `NorthWind-BPO`, ` northwind-bpo` and `northwind-bpo`
 * must be one vendor, not three. Every place a vendor id enters goes through
 * {@link canonicalVendor}: surrounding whitespace is removed and ASCII letters are lower-cased.
 *
 * The canonical form is then checked: 1 to {@link MAX_VENDOR_ID} characters of lower-case
 * letters `a-z`, digits and `. _ -`, starting with a letter or digit. That is narrower than
 * other ids on purpose: a vendor id is one segment of an S3 key template and sits between `#`
 * separators in DynamoDB keys, so `/`, `#`, spaces and other punctuation are refused rather
 * than guessed at (`Northwind BPO` is refused, not turned into `northwind-bpo`).
 */

/** Longest vendor id, in characters; the Cognito `custom:vendor` attribute holds 100. */
export const MAX_VENDOR_ID = 100;

/** The pattern of a canonical vendor id. */
export const VENDOR_ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

const VENDOR_ID_MESSAGE = "a vendor id: lower-case letters, digits and . _ - only";

/**
 * The canonical form of a vendor id as typed: trimmed, ASCII letters lower-cased. It does not
 * validate; {@link vendorIdProblem} or {@link VendorIdSchema} does.
 */
export function canonicalVendor(raw: string): string {
  // Only A-Z: toLowerCase() would also fold non-ASCII letters, which the pattern refuses anyway.
  return raw.trim().replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** Why `vendor` is not a canonical vendor id, or undefined when it is one. */
export function vendorIdProblem(vendor: string): string | undefined {
  if (vendor.length === 0) return "is empty";
  if (vendor.length > MAX_VENDOR_ID) return `is longer than ${MAX_VENDOR_ID} characters`;
  if (!VENDOR_ID_PATTERN.test(vendor)) return `is not ${VENDOR_ID_MESSAGE}`;
  return undefined;
}

/** True when `vendor` is already a canonical vendor id. */
export function isCanonicalVendor(vendor: unknown): vendor is string {
  return typeof vendor === "string" && vendorIdProblem(vendor) === undefined;
}

/**
 * A vendor id that is already canonical, as stored (transcripts, ledger items). Refuses
 * `NorthWind-BPO`: stored data never holds a second spelling.
 */
export const CanonicalVendorIdSchema = z
  .string()
  .min(1, "a vendor id cannot be empty")
  .max(MAX_VENDOR_ID, `a vendor id has at most ${MAX_VENDOR_ID} characters`)
  .regex(VENDOR_ID_PATTERN, VENDOR_ID_MESSAGE);

/**
 * A vendor id where one enters (a roster row, a policy override, a query parameter):
 * canonicalised, then checked. Parses `NorthWind-BPO` to `northwind-bpo`.
 */
export const VendorIdSchema = z
  .string()
  .overwrite(canonicalVendor)
  .min(1, "a vendor id cannot be empty")
  .max(MAX_VENDOR_ID, `a vendor id has at most ${MAX_VENDOR_ID} characters`)
  .regex(VENDOR_ID_PATTERN, VENDOR_ID_MESSAGE);
