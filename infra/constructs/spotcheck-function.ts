import { fileURLToPath } from "node:url";
import { type Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import {
  ApplicationLogLevel,
  Architecture,
  type IDestination,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
} from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

/** The newest Node.js Lambda runtime aws-cdk-lib offers (cdk-nag flags any older one). */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/** CloudWatch namespace of the functions' Powertools metrics. */
export const METRICS_NAMESPACE = "Spotcheck";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

// esbuild's ESM output has no `require`; CommonJS dependencies that require Node built-ins
// need one. The alias keeps it from clashing with a bundled `createRequire` import.
const REQUIRE_SHIM =
  "import { createRequire as __spotcheckCreateRequire } from 'node:module'; const require = __spotcheckCreateRequire(import.meta.url);";

/** Properties of a {@link SpotcheckFunction}. */
export interface SpotcheckFunctionProps {
  /** The handler module, relative to the repository root (e.g. `functions/sampler/handler.ts`); it exports `handler`. */
  readonly entry: string;
  /** What the function does, shown in the console. */
  readonly description: string;
  /**
   * The function's variables, bound in the stack with `satisfies EnvBinding<…Env>`. The
   * construct adds `POWERTOOLS_METRICS_NAMESPACE`.
   */
  readonly environment: Readonly<Record<string, string>>;
  /** Memory in MB; there is no default, every function states its own. */
  readonly memorySize: number;
  /** Timeout; there is no default, every function states its own. */
  readonly timeout: Duration;
  /**
   * Retention of the function's log group.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
  /**
   * Removal policy of the function's log group.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Shell commands run after esbuild, given the project root and the bundle's output folder;
   * for files the handler reads beside itself.
   * @default - none
   */
  readonly afterBundling?: (inputDir: string, outputDir: string) => string[];
  /**
   * For asynchronously invoked functions (schedules): where an event goes once its retries
   * are spent.
   * @default - none
   */
  readonly onFailure?: IDestination;
  /**
   * Retries of an asynchronous invocation that failed; applies with `onFailure`.
   * @default 2
   */
  readonly retryAttempts?: number;
}

/**
 * A Lambda function with the house defaults: an ESM bundle built by esbuild from the
 * TypeScript handler, ARM64, the newest Node.js runtime, explicit memory and timeout, JSON
 * logs in its own log group with a retention, Powertools' metrics namespace, and a role of
 * its own that starts with nothing but writing to that log group (no managed policy). The
 * stack grants the rest next to the environment it binds. It carries no business logic.
 */
export class SpotcheckFunction extends Construct {
  /** The function. */
  readonly function: NodejsFunction;
  /** Its execution role; grants go here. */
  readonly role: Role;
  /** Its log group. */
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: SpotcheckFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, "Logs", {
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `Execution role of the ${id} function`,
    });
    this.logGroup.grantWrite(this.role);

    const afterBundling = props.afterBundling;
    this.function = new NodejsFunction(this, "Resource", {
      entry: `${REPO_ROOT}${props.entry}`,
      handler: "handler",
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      environment: { ...props.environment, POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE },
      ...(props.onFailure
        ? { onFailure: props.onFailure, retryAttempts: props.retryAttempts ?? 2 }
        : {}),
      bundling: {
        format: OutputFormat.ESM,
        target: "node24",
        mainFields: ["module", "main"],
        banner: REQUIRE_SHIM,
        // The SDK is bundled at the pinned versions the tests ran, not the runtime's copy.
        externalModules: [],
        // Unminified: stack traces in the logs keep their function names without source maps.
        minify: false,
        ...(afterBundling
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling,
              },
            }
          : {}),
      },
    });
    Validations.of(this).acknowledge({
      id: "Serverless-LambdaTracing",
      reason:
        "X-Ray is off by choice: Powertools JSON logs carry the request ids and metrics cover throughput, and active tracing would add an X-Ray grant on Resource::* to every role.",
    });
  }
}
