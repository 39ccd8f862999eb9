import { RemovalPolicy, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  type CfnStage,
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

/**
 * The dashboard's read routes (GET). Each gets a route of its own, so that it can have a rate
 * of its own ({@link WebApiProps.readThrottle}); the JWT authorizer guards them as it guards
 * `ANY /api/{proxy+}`.
 */
export const READ_API_ROUTES = [
  "/api/trends",
  "/api/channels",
  "/api/agents",
  "/api/calibration",
  "/api/drift",
  "/api/vendors",
] as const;

/** The reviewers' routes: claim, read, extend, release and score a task. */
export const REVIEW_API_ROUTE = "/api/tasks/{proxy+}";

/** Properties of {@link WebApi}. */
export interface WebApiProps {
  /** Request rates of the stage: every route without rates of its own. */
  readonly throttle: ThrottleSettings;
  /** Request rates of each of {@link READ_API_ROUTES}, per route across all callers. */
  readonly readThrottle: Required<ThrottleSettings>;
  /** Request rates of the reviewers' route, {@link REVIEW_API_ROUTE}, across all callers. */
  readonly reviewThrottle: Required<ThrottleSettings>;
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
 *
 * API Gateway throttles an HTTP API per route, counting all callers together: one busy
 * dashboard can use up a read route's rate for everyone, and the limits cannot tell one user
 * from another. Per-user limits are the app's job.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
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
  private readonly routeThrottles: Pick<WebApiProps, "readThrottle" | "reviewThrottle">;

  constructor(scope: Construct, id: string, props: WebApiProps) {
    super(scope, id);
    this.routeThrottles = {
      readThrottle: props.readThrottle,
      reviewThrottle: props.reviewThrottle,
    };
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
    const throttled = [
      ...READ_API_ROUTES.map((path) => ({
        path,
        method: HttpMethod.GET,
        throttle: this.routeThrottles.readThrottle,
      })),
      {
        path: REVIEW_API_ROUTE,
        method: HttpMethod.ANY,
        throttle: this.routeThrottles.reviewThrottle,
      },
    ];
    const routeSettings: Record<
      string,
      { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }
    > = {};
    for (const { path, method, throttle } of throttled) {
      for (const route of this.httpApi.addRoutes({
        path,
        methods: [method],
        integration,
        authorizer,
      })) {
        // A stage's route settings must name routes that already exist.
        this.stage.node.addDependency(route);
      }
      routeSettings[`${method} ${path}`] = {
        ThrottlingRateLimit: throttle.rateLimit,
        ThrottlingBurstLimit: throttle.burstLimit,
      };
    }
    (this.stage.node.defaultChild as CfnStage).addPropertyOverride("RouteSettings", routeSettings);
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
