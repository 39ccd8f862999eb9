import { readFileSync } from "node:fs";
import { Duration } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import { Runtime, RuntimeFamily } from "aws-cdk-lib/aws-lambda";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../core/review-api/openapi";
import { STAGE_CONFIGS, type StageConfig } from "../../infra/config";
import { USER_GROUPS } from "../../infra/constructs/auth";
import { FUNCTION_RUNTIME, METRICS_NAMESPACE } from "../../infra/constructs/spotcheck-function";
import {
  PUBLIC_API_ROUTES,
  READ_API_ROUTES,
  REVIEW_API_ROUTE,
} from "../../infra/constructs/web-api";
import { addSpotcheck } from "../../infra/spotcheck-app";
import {
  FUNCTION_TABLE_ACTIONS,
  SQS_EVENT_SOURCE_ACTIONS,
} from "../../infra/stacks/spotcheck-stack";
import {
  DriftEnvSchema,
  PeriodCloseEnvSchema,
  ReviewApiEnvSchema,
  SamplerEnvSchema,
} from "../../shared/env";
import { QUEUES, TABLE } from "../../shared/resources";
import { getAttArn, logicalId, resource, resourcesOfType, synthStack, testApp } from "./helpers";

const { stack, template } = synthStack(STAGE_CONFIGS.dev);
const id = (construct: Parameters<typeof logicalId>[1]) => logicalId(stack, construct);
const { dataPlane, functions, auth, webApi, alarms } = stack;
const tableId = id(dataPlane.table);
const bucketId = id(dataPlane.bucket);
const reviewQueueId = id(dataPlane.reviewQueue);
const ingestQueueId = id(dataPlane.ingestQueue);
const jobFailuresId = id(stack.jobFailures);
const functionIds = Object.fromEntries(
  Object.entries(functions).map(([name, fn]) => [name, id(fn.function)]),
) as Record<keyof typeof functions, string>;

const fnProps = (name: keyof typeof functions) =>
  resource(template, functionIds[name]).Properties ?? {};
const env = (name: keyof typeof functions) =>
  (fnProps(name).Environment as { Variables: Record<string, unknown> }).Variables;

describe("functions", () => {
  const newestNode = Runtime.ALL.filter((r) => r.family === RuntimeFamily.NODEJS)
    .map((r) => r.name)
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    .at(-1);

  it("are exactly the stack's functions", () => {
    expect(Object.keys(resourcesOfType(template, "AWS::Lambda::Function")).sort()).toEqual(
      Object.values(functionIds).sort(),
    );
  });

  it.each(Object.keys(functionIds) as (keyof typeof functions)[])(
    "%s: ESM bundle on the newest Node.js runtime, ARM64, explicit memory and timeout, JSON logs in its own log group",
    (name) => {
      const props = fnProps(name);
      const logGroupId = id(functions[name].logGroup);
      expect(FUNCTION_RUNTIME.name).toBe(newestNode);
      expect(props).toMatchObject({
        Runtime: newestNode,
        Architectures: ["arm64"],
        Handler: "index.handler",
        LoggingConfig: { LogFormat: "JSON", LogGroup: { Ref: logGroupId } },
      });
      expect(props.MemorySize).toEqual(expect.any(Number));
      expect(props.Timeout).toEqual(expect.any(Number));
      expect(resource(template, logGroupId).Properties).toEqual({ RetentionInDays: 7 });
      expect(env(name)).toMatchObject({
        POWERTOOLS_SERVICE_NAME: `spotcheck-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      });
    },
  );

  it.each([
    ["sampler", SamplerEnvSchema],
    ["periodClose", PeriodCloseEnvSchema],
    ["reviewApi", ReviewApiEnvSchema],
    ["drift", DriftEnvSchema],
  ] as const)("%s: its environment parses with its schema", (name, schema) => {
    // CloudFormation fills in the references; any URL-shaped stand-in will do here.
    const variables = Object.fromEntries(
      Object.entries(env(name)).map(([key, value]) => [
        key,
        typeof value === "string" ? value : `https://resolved.example/${key}`,
      ]),
    );
    expect(schema.safeParse(variables).success).toBe(true);
    const known = new Set([...Object.keys(schema.shape), "POWERTOOLS_METRICS_NAMESPACE"]);
    expect(Object.keys(variables).filter((key) => !known.has(key))).toEqual([]);
  });

  it("gives the sampler and period close the sampling policy file as SAMPLING_POLICY", () => {
    const policy = JSON.parse(
      readFileSync(new URL("../../policy/sampling-policy.json", import.meta.url), "utf8"),
    );
    expect(JSON.parse(String(env("sampler").SAMPLING_POLICY))).toEqual(policy);
    expect(JSON.parse(String(env("periodClose").SAMPLING_POLICY))).toEqual(policy);
  });

  it("gives the review API the user pool as issuer and the web client as audience and sign-in client", () => {
    const clientRef = { Ref: id(auth.client) };
    expect(env("reviewApi")).toMatchObject({
      JWT_AUDIENCE: clientRef,
      COGNITO_CLIENT_ID: clientRef,
      LEASE_SECONDS: String(QUEUES.review.visibilityTimeoutSeconds),
      JWT_ISSUER: {
        "Fn::Join": [
          "",
          [
            "https://cognito-idp.",
            { Ref: "AWS::Region" },
            ".amazonaws.com/",
            { Ref: id(auth.userPool) },
          ],
        ],
      },
    });
    expect(JSON.stringify(env("reviewApi").COGNITO_DOMAIN_URL)).toContain(id(auth.domain));
  });

  it("runs the sampler from the ingest queue with partial batch responses, and the stage's batch size, window, concurrency cap and memory", () => {
    template.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: getAttArn(ingestQueueId),
      FunctionName: { Ref: functionIds.sampler },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      BatchSize: STAGE_CONFIGS.dev.samplerBatchSize,
      MaximumBatchingWindowInSeconds: STAGE_CONFIGS.dev.samplerBatchWindow.toSeconds(),
      ScalingConfig: { MaximumConcurrency: STAGE_CONFIGS.dev.samplerMaxConcurrency },
    });
    expect(fnProps("sampler").MemorySize).toBe(STAGE_CONFIGS.dev.samplerMemorySize);

    const tuned = synthStack({
      ...STAGE_CONFIGS.dev,
      samplerBatchSize: 50,
      samplerBatchWindow: Duration.seconds(5),
      samplerMaxConcurrency: 4,
      samplerMemorySize: 1024,
    });
    tuned.template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 5,
      ScalingConfig: { MaximumConcurrency: 4 },
    });
    const tunedSampler = logicalId(tuned.stack, tuned.stack.functions.sampler.function);
    expect(resource(tuned.template, tunedSampler).Properties?.MemorySize).toBe(1024);
  });

  it("keeps the event source mapping's logical id, so a deploy does not replace it", () => {
    expect(Object.keys(resourcesOfType(template, "AWS::Lambda::EventSourceMapping"))).toEqual([
      "SamplerSqsEventSourceSpotcheckdevDataPlaneIngestABDC0383BFAFF007",
    ]);
  });

  it("refuses a sampler batch above 10 without a batching window", () => {
    expect(() => synthStack({ ...STAGE_CONFIGS.dev, samplerBatchSize: 20 })).toThrow(
      /samplerBatchWindow/,
    );
  });

  it("keeps the ingest queue's visibility timeout at least six times the sampler's timeout", () => {
    expect(QUEUES.ingest.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
      6 * Number(fnProps("sampler").Timeout),
    );
  });

  it.each([
    ["periodClose", "cron(0 2 ? * MON *)"],
    ["drift", "cron(0 6 ? * MON *)"],
  ] as const)(
    "runs %s on %s (UTC), with retries and the job-failures queue behind both hops",
    (name, expression) => {
      template.hasResourceProperties("AWS::Events::Rule", {
        ScheduleExpression: expression,
        Targets: [
          Match.objectLike({
            Arn: getAttArn(functionIds[name]),
            DeadLetterConfig: { Arn: getAttArn(jobFailuresId) },
            RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 7200 },
          }),
        ],
      });
      template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
        FunctionName: { Ref: functionIds[name] },
        DestinationConfig: { OnFailure: { Destination: getAttArn(jobFailuresId) } },
      });
    },
  );

  it("sets the sampler's KEY_TEMPLATE only when the stage configures one", () => {
    expect(env("sampler")).not.toHaveProperty("KEY_TEMPLATE");
    const configured = synthStack({ ...STAGE_CONFIGS.dev, keyTemplate: "{vendor}/{agent}/{any}" });
    const sampler = logicalId(configured.stack, configured.stack.functions.sampler.function);
    expect(resource(configured.template, sampler).Properties?.Environment).toMatchObject({
      Variables: { KEY_TEMPLATE: "{vendor}/{agent}/{any}" },
    });
  });

  it("points the drift job at the default event bus", () => {
    expect(env("drift").EVENT_BUS_NAME).toBe("default");
  });
});

describe("IAM: each function's role names only its own resources and actions", () => {
  type Grant = string; // "action on resource"
  const grantsOf = (roleId: string): Grant[] =>
    Object.values(resourcesOfType(template, "AWS::IAM::Policy"))
      .filter(
        (policy) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]),
      )
      .flatMap((policy) => {
        const document = policy.Properties?.PolicyDocument as {
          Statement: { Effect: string; Action: string | string[]; Resource: unknown }[];
        };
        return document.Statement.flatMap((statement) => {
          expect(statement.Effect).toBe("Allow");
          const actions = [statement.Action].flat();
          const targets = Array.isArray(statement.Resource)
            ? statement.Resource
            : [statement.Resource];
          return actions.flatMap((action) =>
            targets.map((target) => `${action} on ${JSON.stringify(target)}`),
          );
        });
      })
      .sort();
  const on = (actions: readonly string[], target: unknown) =>
    actions.map((action) => `${action} on ${JSON.stringify(target)}`);
  const table = (name: keyof typeof functions) => [
    ...on(FUNCTION_TABLE_ACTIONS[name], getAttArn(tableId)),
    ...TABLE.globalSecondaryIndexes.flatMap((index) =>
      on(["dynamodb:Query"], {
        "Fn::Join": ["", [getAttArn(tableId), `/index/${index.indexName}`]],
      }),
    ),
  ];
  const transcripts = { "Fn::Join": ["", [getAttArn(bucketId), "/*"]] };
  // Without ListBucket, S3 answers a GetObject of a missing key with 403, not 404.
  const listTranscripts = on(["s3:ListBucket"], getAttArn(bucketId));
  const logs = (name: keyof typeof functions) =>
    on(["logs:CreateLogStream", "logs:PutLogEvents"], getAttArn(id(functions[name].logGroup)));

  const expected: Record<keyof typeof functions, Grant[]> = {
    sampler: [
      ...logs("sampler"),
      ...table("sampler"),
      ...on(SQS_EVENT_SOURCE_ACTIONS, getAttArn(ingestQueueId)),
      ...on(["sqs:SendMessage"], getAttArn(reviewQueueId)),
      ...on(["s3:GetObject", "s3:GetObjectVersion"], transcripts),
      ...listTranscripts,
      ...on(["secretsmanager:GetSecretValue"], { Ref: id(stack.samplingKey) }),
    ],
    periodClose: [
      ...logs("periodClose"),
      ...table("periodClose"),
      ...on(["sqs:SendMessage"], getAttArn(reviewQueueId)),
      ...on(["sqs:SendMessage"], getAttArn(jobFailuresId)),
    ],
    reviewApi: [
      ...logs("reviewApi"),
      ...table("reviewApi"),
      ...on(
        [
          "sqs:ReceiveMessage",
          "sqs:DeleteMessage",
          "sqs:ChangeMessageVisibility",
          "sqs:SendMessage",
          "sqs:GetQueueAttributes",
        ],
        getAttArn(reviewQueueId),
      ),
      ...on(["s3:GetObject", "s3:GetObjectVersion"], transcripts),
      ...listTranscripts,
    ],
    drift: [
      ...logs("drift"),
      ...table("drift"),
      ...on(["sqs:SendMessage"], getAttArn(jobFailuresId)),
      ...on(["events:PutEvents"], {
        "Fn::Join": [
          "",
          [
            "arn:",
            { Ref: "AWS::Partition" },
            ":events:",
            { Ref: "AWS::Region" },
            ":",
            { Ref: "AWS::AccountId" },
            ":event-bus/default",
          ],
        ],
      }),
    ],
  };

  it.each(Object.keys(expected) as (keyof typeof functions)[])("%s", (name) => {
    const roleId = id(functions[name].role);
    expect(grantsOf(roleId)).toEqual([...expected[name]].sort());
    // No managed policy (AWSLambdaBasicExecutionRole would allow every log group).
    expect(resource(template, roleId).Properties?.ManagedPolicyArns).toBeUndefined();
    expect(resource(template, roleId).Properties?.AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } }],
    });
  });

  it("has no other role or policy", () => {
    expect(Object.keys(resourcesOfType(template, "AWS::IAM::Role")).sort()).toEqual(
      Object.values(functions)
        .map((fn) => id(fn.role))
        .sort(),
    );
    expect(Object.keys(resourcesOfType(template, "AWS::IAM::Policy"))).toHaveLength(
      Object.keys(functions).length,
    );
  });
});

describe("HTTP API", () => {
  const routes = Object.values(resourcesOfType(template, "AWS::ApiGatewayV2::Route")).map(
    (route) => route.Properties ?? {},
  );
  const authorizerId = Object.keys(resourcesOfType(template, "AWS::ApiGatewayV2::Authorizer"))[0];

  const readKeys = READ_API_ROUTES.map((path) => `GET ${path}`);
  const reviewKey = `ANY ${REVIEW_API_ROUTE}`;
  const publicKeys = ["$default", ...PUBLIC_API_ROUTES.map((path) => `GET ${path}`)];

  it("puts the JWT authorizer on every /api route but the OpenAPI document and the rubric; the pages are public", () => {
    const byKey = Object.fromEntries(routes.map((route) => [route.RouteKey, route]));
    expect(Object.keys(byKey).sort()).toEqual(
      ["ANY /api/{proxy+}", reviewKey, ...readKeys, ...publicKeys].sort(),
    );
    for (const key of ["ANY /api/{proxy+}", reviewKey, ...readKeys]) {
      expect(byKey[key], key).toMatchObject({
        AuthorizationType: "JWT",
        AuthorizerId: { Ref: authorizerId },
      });
    }
    for (const key of publicKeys) {
      expect(byKey[key]?.AuthorizationType, key).toBe("NONE");
    }
  });

  it("gives each read route, and the reviewers' route, the stage's rates for it", () => {
    const stage = resource(template, id(webApi.stage));
    const limits = (throttle: { rateLimit: number; burstLimit: number }) => ({
      ThrottlingRateLimit: throttle.rateLimit,
      ThrottlingBurstLimit: throttle.burstLimit,
    });
    expect(stage.Properties?.RouteSettings).toEqual({
      ...Object.fromEntries(
        readKeys.map((key) => [key, limits(STAGE_CONFIGS.dev.readApiThrottle)]),
      ),
      [reviewKey]: limits(STAGE_CONFIGS.dev.reviewApiThrottle),
    });
    for (const config of [STAGE_CONFIGS.dev, STAGE_CONFIGS.prod]) {
      expect(config.readApiThrottle.rateLimit).toBeLessThan(config.reviewApiThrottle.rateLimit);
      expect(config.readApiThrottle.burstLimit).toBeLessThan(config.reviewApiThrottle.burstLimit);
    }
    // CloudFormation creates the stage after the routes its settings name.
    const routeIds = Object.entries(resourcesOfType(template, "AWS::ApiGatewayV2::Route"))
      .filter(([, route]) => [reviewKey, ...readKeys].includes(String(route.Properties?.RouteKey)))
      .map(([routeId]) => routeId);
    expect(stage.DependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  it("has a read route for each read endpoint of the app, and the app serves each as GET", () => {
    const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
    for (const path of READ_API_ROUTES) expect(paths[path], path).toHaveProperty("get");
    expect(
      Object.keys(paths).filter((path) => path.startsWith("/api/tasks/")).length,
    ).toBeGreaterThan(0);
  });

  it("accepts only ID tokens of the web client, from the user pool", () => {
    expect(resource(template, authorizerId ?? "").Properties).toMatchObject({
      AuthorizerType: "JWT",
      IdentitySource: ["$request.header.Authorization"],
      JwtConfiguration: {
        Audience: [{ Ref: id(auth.client) }],
        Issuer: env("reviewApi").JWT_ISSUER,
      },
    });
  });

  it("sends every route to the review API function", () => {
    const integrations = Object.values(resourcesOfType(template, "AWS::ApiGatewayV2::Integration"));
    expect(integrations).toHaveLength(1);
    expect(integrations[0]?.Properties).toMatchObject({
      IntegrationType: "AWS_PROXY",
      IntegrationUri: getAttArn(functionIds.reviewApi),
      PayloadFormatVersion: "2.0",
    });
  });

  it("logs every request as JSON, without credentials, and throttles by stage", () => {
    const stage = resource(template, id(webApi.stage)).Properties ?? {};
    const settings = stage.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(stage).toMatchObject({
      StageName: "$default",
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: STAGE_CONFIGS.dev.apiThrottle.rateLimit,
        ThrottlingBurstLimit: STAGE_CONFIGS.dev.apiThrottle.burstLimit,
      },
    });
    expect(settings.DestinationArn).toEqual(getAttArn(id(webApi.accessLogs)));
    const format = JSON.parse(settings.Format);
    expect(format).toMatchObject({ requestId: "$context.requestId", status: "$context.status" });
    expect(settings.Format.toLowerCase()).not.toContain("authorization");
  });
});

describe("Cognito", () => {
  const pool = () => resource(template, id(auth.userPool)).Properties ?? {};
  const client = () => resource(template, id(auth.client)).Properties ?? {};
  const apiEndpoint = { "Fn::GetAtt": [id(webApi.httpApi), "ApiEndpoint"] };

  it("admits only users an administrator creates, with TOTP MFA and Plus-tier threat protection", () => {
    expect(pool()).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: "ON",
      EnabledMfas: ["SOFTWARE_TOKEN_MFA"],
      UserPoolTier: "PLUS",
      UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" },
    });
  });

  it("has a mutable vendor custom attribute, read by the client and writable only by administrators", () => {
    expect(pool().Schema).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Name: "vendor", AttributeDataType: "String", Mutable: true }),
      ]),
    );
    expect(client().ReadAttributes).toContain("custom:vendor");
    expect(client().WriteAttributes).not.toContain("custom:vendor");
  });

  it("has the reviewer, manager and admin groups", () => {
    const groups = Object.values(resourcesOfType(template, "AWS::Cognito::UserPoolGroup")).map(
      (group) => group.Properties?.GroupName,
    );
    expect(groups.sort()).toEqual([...USER_GROUPS].sort());
  });

  it("signs the pages in with the authorization code grant and PKCE: a public client, callback and logout on the API", () => {
    expect(client()).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: expect.arrayContaining(["openid"]),
      CallbackURLs: [{ "Fn::Join": ["", [apiEndpoint, "/auth/callback"]] }],
      LogoutURLs: [{ "Fn::Join": ["", [apiEndpoint, "/review"]] }],
      SupportedIdentityProviders: ["COGNITO"],
    });
  });

  it("serves managed login (version 2) with a branding style for the web client", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolDomain", {
      ManagedLoginVersion: 2,
      UserPoolId: { Ref: id(auth.userPool) },
    });
    template.hasResourceProperties("AWS::Cognito::ManagedLoginBranding", {
      ClientId: { Ref: id(auth.client) },
      UseCognitoProvidedValues: true,
    });
  });
});

describe("sampling key", () => {
  it("is a generated 64-character alphanumeric secret, read only by the sampler", () => {
    const secretId = id(stack.samplingKey);
    expect(resource(template, secretId).Properties?.GenerateSecretString).toEqual({
      PasswordLength: 64,
      ExcludePunctuation: true,
      IncludeSpace: false,
    });
    expect(env("sampler").SAMPLING_KEY_SECRET_ID).toEqual({ Ref: secretId });
    const readers = Object.values(resourcesOfType(template, "AWS::IAM::Policy")).filter((policy) =>
      JSON.stringify(policy.Properties).includes(secretId),
    );
    expect(readers.map((policy) => policy.Properties?.Roles)).toEqual([
      [{ Ref: id(functions.sampler.role) }],
    ]);
  });
});

describe("alarms", () => {
  const topicId = id(alarms.topic);
  const all = Object.values(resourcesOfType(template, "AWS::CloudWatch::Alarm")).map(
    (alarm) => alarm.Properties ?? {},
  );
  const onQueue = (queueId: string, metric: string) =>
    all.filter(
      (alarm) =>
        alarm.MetricName === metric &&
        JSON.stringify(alarm.Dimensions) ===
          JSON.stringify([{ Name: "QueueName", Value: { "Fn::GetAtt": [queueId, "QueueName"] } }]),
    );

  it.each([
    ["ingest DLQ", () => id(dataPlane.ingestDlq)],
    ["review DLQ", () => id(dataPlane.reviewDlq)],
    ["job-failures queue", () => jobFailuresId],
  ])("fires on a single message in the %s", (_, queueId) => {
    expect(onQueue(queueId(), "ApproximateNumberOfMessagesVisible")).toEqual([
      expect.objectContaining({
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        Statistic: "Maximum",
      }),
    ]);
  });

  it.each([
    ["dev", STAGE_CONFIGS.dev],
    ["prod", STAGE_CONFIGS.prod],
  ] as const)("fires on the %s stage's review backlog age", (_, config: StageConfig) => {
    const staged = config.stage === "dev" ? { stack, template } : synthStack(config);
    const backlog = Object.values(resourcesOfType(staged.template, "AWS::CloudWatch::Alarm"))
      .map((alarm) => alarm.Properties ?? {})
      .filter((alarm) => alarm.MetricName === "ApproximateAgeOfOldestMessage");
    expect(backlog).toEqual([
      expect.objectContaining({
        Threshold: (config.reviewBacklogAlarmAge ?? Duration.days(4)).toSeconds(),
        ComparisonOperator: "GreaterThanThreshold",
        Dimensions: [
          {
            Name: "QueueName",
            Value: {
              "Fn::GetAtt": [
                logicalId(staged.stack, staged.stack.dataPlane.reviewQueue),
                "QueueName",
              ],
            },
          },
        ],
      }),
    ]);
  });

  it.each(Object.keys(functionIds) as (keyof typeof functions)[])(
    "fires on any error or throttle of %s",
    (name) => {
      for (const metric of ["Errors", "Throttles"]) {
        expect(
          all.filter(
            (alarm) =>
              alarm.Namespace === "AWS/Lambda" &&
              alarm.MetricName === metric &&
              JSON.stringify(alarm.Dimensions) ===
                JSON.stringify([{ Name: "FunctionName", Value: { Ref: functionIds[name] } }]),
          ),
          `${name} ${metric}`,
        ).toEqual([expect.objectContaining({ Threshold: 1, Statistic: "Sum" })]);
      }
    },
  );

  it("fires on any server error of the HTTP API", () => {
    expect(
      all.filter((alarm) => alarm.Namespace === "AWS/ApiGateway" && alarm.MetricName === "5xx"),
    ).toEqual([
      expect.objectContaining({
        Threshold: 1,
        Statistic: "Sum",
        Dimensions: [{ Name: "ApiId", Value: { Ref: id(webApi.httpApi) } }],
      }),
    ]);
  });

  it("notifies the topic of every alarm and every recovery", () => {
    expect(all.length).toBe(5 + 2 * Object.keys(functions).length);
    for (const alarm of all) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions).toEqual([{ Ref: topicId }]);
      expect(String(alarm.AlarmDescription)).toContain("docs/operations.md#alarms");
    }
  });

  it("publishes to a KMS-encrypted, SSL-only topic that CloudWatch may use", () => {
    const topic = resource(template, topicId).Properties ?? {};
    const keyId = (topic.KmsMasterKeyId as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
    expect(resource(template, keyId).Properties).toMatchObject({ EnableKeyRotation: true });
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Deny",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
          Match.objectLike({
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
          }),
        ]),
      },
    });
    template.hasResourceProperties("AWS::KMS::Key", {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          }),
        ]),
      },
    });
  });
});

describe("every queue", () => {
  it("is SQS-encrypted and has an SSL-only policy", () => {
    const queues = resourcesOfType(template, "AWS::SQS::Queue");
    for (const [queueId, queue] of Object.entries(queues)) {
      expect(queue.Properties?.SqsManagedSseEnabled, queueId).toBe(true);
      template.hasResourceProperties("AWS::SQS::QueuePolicy", {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Deny",
              Condition: { Bool: { "aws:SecureTransport": "false" } },
              Resource: getAttArn(queueId),
            }),
          ]),
        },
      });
    }
  });
});

describe("outputs", () => {
  it("include the API and reviewer URLs, the bucket, the user pool and its client, the sign-in domain, the key and the alarm topic", () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.ApiUrl?.Value).toEqual({ "Fn::GetAtt": [id(webApi.httpApi), "ApiEndpoint"] });
    expect(JSON.stringify(outputs.ReviewerUrl?.Value)).toContain("/review");
    expect(outputs.TranscriptsBucketName?.Value).toEqual({ Ref: bucketId });
    expect(outputs.UserPoolId?.Value).toEqual({ Ref: id(auth.userPool) });
    expect(outputs.UserPoolClientId?.Value).toEqual({ Ref: id(auth.client) });
    expect(outputs.SignInDomainUrl?.Value).toEqual(env("reviewApi").COGNITO_DOMAIN_URL);
    expect(outputs.SamplingKeySecretArn?.Value).toEqual({ Ref: id(stack.samplingKey) });
    expect(outputs.AlarmTopicArn?.Value).toEqual({ Ref: id(alarms.topic) });
    expect(outputs.PeriodCloseFunctionName?.Value).toEqual({ Ref: functionIds.periodClose });
    expect(outputs.DriftFunctionName?.Value).toEqual({ Ref: functionIds.drift });
  });
});

describe("stages", () => {
  const stateful = (staged: ReturnType<typeof synthStack>) => {
    const s = staged.stack;
    return [
      s.auth.userPool,
      s.samplingKey,
      ...Object.values(s.functions).map((f) => f.logGroup),
    ].map((construct) => resource(staged.template, logicalId(s, construct)));
  };

  it("prod retains the user pool, the sampling key and the logs, and protects the pool from deletion", () => {
    const prod = synthStack(STAGE_CONFIGS.prod);
    for (const found of stateful(prod)) {
      expect([found.DeletionPolicy, found.UpdateReplacePolicy]).toEqual(["Retain", "Retain"]);
    }
    expect(
      resource(prod.template, logicalId(prod.stack, prod.stack.auth.userPool)).Properties,
    ).toMatchObject({ DeletionProtection: "ACTIVE" });
  });

  it("dev deletes them with the stack", () => {
    for (const found of stateful({ stack, template, app: stack.node.root as never })) {
      expect(found.DeletionPolicy).toBe("Delete");
    }
  });

  it("takes the Cognito domain prefix from the config, else derives it from stage and account", () => {
    const domain = (staged: ReturnType<typeof synthStack>) =>
      Object.values(resourcesOfType(staged.template, "AWS::Cognito::UserPoolDomain"))[0]?.Properties
        ?.Domain;
    expect(domain({ stack, template, app: stack.node.root as never })).toEqual({
      "Fn::Join": ["-", ["spotcheck-dev", { Ref: "AWS::AccountId" }]],
    });
    expect(domain(synthStack({ stage: "prod", authDomainPrefix: "acme-qa" }))).toBe("acme-qa");
  });
});

describe("the CDK app", () => {
  it("builds the stage, Cognito domain prefix and key template given as context", () => {
    const app = testApp({
      stage: "prod",
      authDomainPrefix: "acme-qa",
      keyTemplate: "{vendor}/{agent}/{any}",
    });
    const built = addSpotcheck(app);

    expect(built.stackName).toBe("Spotcheck-prod");
    expect(built.config).toMatchObject({
      stage: "prod",
      authDomainPrefix: "acme-qa",
      keyTemplate: "{vendor}/{agent}/{any}",
      removalPolicy: STAGE_CONFIGS.prod.removalPolicy,
    });
  });

  it("defaults to the dev stage", () => {
    expect(addSpotcheck(testApp()).stackName).toBe("Spotcheck-dev");
  });
});
