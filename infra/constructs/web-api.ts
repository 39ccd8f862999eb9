import { RemovalPolicy, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  type HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
  type ThrottleSettings,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

/**
 * API routes anyone may call: the OpenAPI document and the rubric. Every other `/api/...`
 * route needs a JWT from the user pool.
 */
export const PUBLIC_API_ROUTES = ["/api/openapi.json", "/api/rubric"] as const;

/** Properties of {@link WebApi}. */
export interface WebApiProps {
  /** Request rates of the stage. */
  readonly throttle: ThrottleSettings;
  /**
   * Retention of the access log group.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
  /**
   * Removal policy of the access log group.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

// One JSON object per request. The Authorization header is never logged; the subject is.
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  time: "$context.requestTime",
  ip: "$context.identity.sourceIp",
  method: "$context.httpMethod",
  path: "$context.path",
  routeKey: "$context.routeKey",
  status: "$context.status",
  responseLength: "$context.responseLength",
  latencyMs: "$context.responseLatency",
  integrationLatencyMs: "$context.integrationLatency",
  integrationError: "$context.integrationErrorMessage",
  authorizerError: "$context.authorizer.error",
  sub: "$context.authorizer.claims.sub",
  userAgent: "$context.identity.userAgent",
});

/**
 * The HTTP API in front of the review app: one `$default` stage with JSON access logs and
 * throttling. {@link WebApi.serve} routes everything to one function, with the JWT
 * authorizer on `ANY /api/{proxy+}` except {@link PUBLIC_API_ROUTES}; the pages
 * (`$default` route) are public, and the app verifies every token it needs itself.
 */
export class WebApi extends Construct {
  /** The API. */
  readonly httpApi: HttpApi;
  /** Its only stage, `$default`. */
  readonly stage: HttpStage;
  /** Where API Gateway writes one line per request. */
  readonly accessLogs: LogGroup;
  /** The origin pages and API are served from, `https://<api id>.execute-api.<region>.amazonaws.com`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, "Resource", {
      description: "Spotcheck reviewer pages and review API",
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, "AccessLogs", {
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.stage = this.httpApi.addStage("DefaultStage", {
      stageName: "$default",
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });
    this.url = this.httpApi.apiEndpoint;
  }

  /** Routes every request to `handler`, with `authorizer` in front of the private API routes. */
  serve(handler: IFunction, authorizer: IHttpRouteAuthorizer): void {
    const integration = new HttpLambdaIntegration("App", handler);
    this.httpApi.addRoutes({
      path: "/api/{proxy+}",
      methods: [HttpMethod.ANY],
      integration,
      authorizer,
    });
    const publicRoutes = PUBLIC_API_ROUTES.flatMap((path) =>
      this.httpApi.addRoutes({ path, methods: [HttpMethod.GET], integration }),
    );
    const pages = new HttpRoute(this, "Pages", {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.DEFAULT,
      integration,
    });
    for (const route of [...publicRoutes, pages]) {
      Validations.of(route).acknowledge({
        id: "AwsSolutions-APIG4",
        reason:
          "Public on purpose: the sign-in and reviewer pages, their assets, the OpenAPI document and the rubric must load before anyone has a token. The app verifies the Cognito token itself on every private endpoint, so a request that reaches a private path through this route still gets 401.",
      });
    }
  }
}
