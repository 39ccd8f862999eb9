import { InvalidRequestError } from "../../shared/errors";

/** 400 with every bad field, as `{ error, fields: [{ path, message }] }`. */
export const invalid = (result: {
  success: boolean;
  error?: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> };
}) => {
  if (result.success || !result.error) return undefined;
  throw new InvalidRequestError(
    "the request is invalid",
    result.error.issues.map((i) => ({
      path: i.path.map(String).join(".") || "(body)",
      message: i.message,
    })),
  );
};
