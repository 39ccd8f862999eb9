import { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import { handle } from "hono/aws-lambda";
import { createRemoteJWKSet } from "jose";
import { awsClients } from "../../core/aws-clients";
import { createReviewApp, errorResponse } from "../../core/review-api/app";
import { createTokenVerifier } from "../../core/review-api/auth";
import { createCognitoSignInApp, SIGN_IN_PATHS } from "../../core/review-api/ui/cognito-sign-in";
import { parseEnv, ReviewApiEnvSchema } from "../../shared/env";
import { reviewDeps } from "./compose";

const env = parseEnv(ReviewApiEnvSchema);
const logger = new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME });
const cognito =
  env.COGNITO_DOMAIN_URL && env.COGNITO_CLIENT_ID
    ? { domainUrl: env.COGNITO_DOMAIN_URL, clientId: env.COGNITO_CLIENT_ID }
    : undefined;
const app = createReviewApp({
  review: reviewDeps(awsClients(), {
    table: env.TABLE_NAME,
    queueUrl: env.REVIEW_QUEUE_URL,
    leaseSeconds: env.LEASE_SECONDS,
    limits: { maxClaims: env.REVIEW_MAX_CLAIMS, maxLeaseSeconds: env.REVIEW_MAX_LEASE_SECONDS },
  }),
  // Cognito publishes its signing keys at <issuer>/.well-known/jwks.json.
  verify: createTokenVerifier({
    keys: createRemoteJWKSet(new URL(`${env.JWT_ISSUER}/.well-known/jwks.json`)),
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
  }),
  ...(cognito ? { signInUrl: SIGN_IN_PATHS.signIn, signOutUrl: SIGN_IN_PATHS.signOut } : {}),
});
if (cognito) app.route("/", createCognitoSignInApp(cognito));
// Same mapping as the app's own handler (errorResponse), plus a log line: an unexpected error
// becomes a 500 without failing the invocation, so without this it would leave no trace.
app.onError((error, c) => {
  const [status, body, headers] = errorResponse(error);
  if (status === 500)
    logger.error("request failed", { method: c.req.method, path: c.req.path, error });
  return c.json(body, status, headers);
});

const serve = handle(app);

/** Lambda entry behind the HTTP API: the same Hono app as locally, plus Cognito sign-in. */
export const handler = (event: Parameters<typeof serve>[0], context: Context) => {
  logger.addContext(context);
  return serve(event, context);
};
