import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { STAGE_CONFIGS } from "../../infra/config";
import type { SpotcheckStack } from "../../infra/stacks/spotcheck-stack";
import { logicalId, resourcesOfType, synthStack } from "./helpers";

/**
 * Each role's actions, derived from what its function's code sends: a new SDK call without a
 * grant, or a grant no code uses, fails here. The resources of each grant are checked in
 * stack.test.ts.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
type FunctionName = keyof SpotcheckStack["functions"];

/** Each function's handler module, as the stack bundles it. */
const ENTRIES: Record<FunctionName, string> = {
  sampler: "functions/sampler/handler.ts",
  periodClose: "functions/period-close/handler.ts",
  reviewApi: "functions/review-api/handler.ts",
  drift: "functions/drift/handler.ts",
};

/**
 * The IAM actions of each SDK command. TransactWriteItems has no action of its own: its items
 * are authorised as the Put, Update, Delete or ConditionCheck they are (below).
 */
const COMMAND_ACTIONS: Record<string, string[]> = {
  GetCommand: ["dynamodb:GetItem"],
  BatchGetCommand: ["dynamodb:BatchGetItem"],
  QueryCommand: ["dynamodb:Query"],
  ScanCommand: ["dynamodb:Scan"],
  PutCommand: ["dynamodb:PutItem"],
  UpdateCommand: ["dynamodb:UpdateItem"],
  DeleteCommand: ["dynamodb:DeleteItem"],
  BatchWriteCommand: ["dynamodb:BatchWriteItem"],
  TransactWriteCommand: [],
  // Without ListBucket, S3 answers a GetObject of a missing key with 403 instead of 404.
  GetObjectCommand: ["s3:GetObject", "s3:ListBucket"],
  ListObjectsV2Command: ["s3:ListBucket"],
  SendMessageCommand: ["sqs:SendMessage"],
  SendMessageBatchCommand: ["sqs:SendMessage"],
  ReceiveMessageCommand: ["sqs:ReceiveMessage"],
  DeleteMessageCommand: ["sqs:DeleteMessage"],
  DeleteMessageBatchCommand: ["sqs:DeleteMessage"],
  ChangeMessageVisibilityCommand: ["sqs:ChangeMessageVisibility"],
  ChangeMessageVisibilityBatchCommand: ["sqs:ChangeMessageVisibility"],
  GetQueueAttributesCommand: ["sqs:GetQueueAttributes"],
  GetSecretValueCommand: ["secretsmanager:GetSecretValue"],
  PutEventsCommand: ["events:PutEvents"],
};
const TRANSACT_ITEM_ACTIONS: Record<string, string> = {
  Put: "dynamodb:PutItem",
  Update: "dynamodb:UpdateItem",
  Delete: "dynamodb:DeleteItem",
  ConditionCheck: "dynamodb:ConditionCheckItem",
};

/** The project modules `entry` loads at run time (type-only imports left out). */
function moduleGraph(entry: string): string[] {
  const seen = new Set<string>();
  const pending = [resolve(ROOT, entry)];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const m of source.matchAll(/^(?:import|export)\s+([^;]*?)\s+from\s+"(\.[^"]+)"/gms)) {
      const clause = m[1] ?? "";
      const specifier = m[2] ?? "";
      if (/^type\s/.test(clause)) continue;
      const names = clause.match(/\{([^}]*)\}/)?.[1];
      const onlyTypes =
        names !== undefined &&
        !clause
          .replace(/\{[^}]*\}/, "")
          .replace(/,/g, "")
          .trim() &&
        names
          .split(",")
          .map((n) => n.trim())
          .filter(Boolean)
          .every((n) => n.startsWith("type "));
      if (onlyTypes) continue;
      const base = resolve(dirname(file), specifier);
      const found = [`${base}.ts`, `${base}/index.ts`, base.replace(/\.js$/, ".ts")].find(
        (candidate) => existsSync(candidate),
      );
      if (!found) throw new Error(`cannot resolve ${specifier} from ${relative(ROOT, file)}`);
      pending.push(found);
    }
  }
  return [...seen];
}

/** The IAM actions the code reachable from `entry` needs, with where each comes from. */
function actionsOfCode(entry: string): Map<string, string> {
  const actions = new Map<string, string>();
  const modules = moduleGraph(entry).map((file) => ({
    file: relative(ROOT, file),
    source: readFileSync(file, "utf8"),
  }));
  let transacts = false;
  for (const { file, source } of modules) {
    const sdkNames = new Set(
      [...source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/[^"]+"/g)].flatMap((m) =>
        (m[1] ?? "").split(",").map((n) => n.replace(/^\s*type\s+/, "").trim()),
      ),
    );
    for (const m of source.matchAll(/new\s+(\w+Command)\s*\(/g)) {
      const command = m[1] ?? "";
      if (!sdkNames.has(command)) continue;
      const mapped = COMMAND_ACTIONS[command];
      if (!mapped) throw new Error(`${file} sends ${command}: add its IAM actions to this test`);
      if (command === "TransactWriteCommand") transacts = true;
      for (const action of mapped) actions.set(action, `${command} in ${file}`);
      // Reading a given version of an object is its own action.
      if (command === "GetObjectCommand" && /\bVersionId\s*:/.test(source))
        actions.set("s3:GetObjectVersion", `GetObjectCommand with VersionId in ${file}`);
    }
  }
  if (transacts) {
    for (const { file, source } of modules) {
      for (const m of source.matchAll(/\b(Put|Update|Delete|ConditionCheck)\s*:\s*\{/g)) {
        const action = TRANSACT_ITEM_ACTIONS[m[1] ?? ""];
        if (action) actions.set(action, `a transaction's ${m[1]} item in ${file}`);
      }
    }
  }
  return actions;
}

const { stack, template } = synthStack(STAGE_CONFIGS.dev);
const id = (construct: Parameters<typeof logicalId>[1]) => logicalId(stack, construct);

/** The actions a role's policies grant, on any resource. */
function grantedActions(name: FunctionName): string[] {
  const roleRef = JSON.stringify([{ Ref: id(stack.functions[name].role) }]);
  return Object.values(resourcesOfType(template, "AWS::IAM::Policy"))
    .filter((policy) => JSON.stringify(policy.Properties?.Roles) === roleRef)
    .flatMap((policy) => {
      const document = policy.Properties?.PolicyDocument as
        | { Statement: { Action: string | string[] }[] }
        | undefined;
      return document?.Statement ?? [];
    })
    .flatMap((statement) => [statement.Action].flat());
}

/**
 * What Lambda itself calls with the role: writing its logs, polling the queue of an event
 * source mapping, and sending failed asynchronous invocations to an SQS destination.
 */
function actionsOfPlatform(name: FunctionName): Map<string, string> {
  const fnRef = { Ref: id(stack.functions[name].function) };
  const actions = new Map<string, string>([
    ["logs:CreateLogStream", "Lambda's logging"],
    ["logs:PutLogEvents", "Lambda's logging"],
  ]);
  const mappings = Object.values(resourcesOfType(template, "AWS::Lambda::EventSourceMapping"));
  if (mappings.some((m) => JSON.stringify(m.Properties?.FunctionName) === JSON.stringify(fnRef))) {
    // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-permissions
    for (const action of ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"])
      actions.set(action, "the SQS event source mapping");
  }
  const queues = Object.keys(resourcesOfType(template, "AWS::SQS::Queue"));
  const invokeConfigs = Object.values(resourcesOfType(template, "AWS::Lambda::EventInvokeConfig"));
  for (const config of invokeConfigs) {
    if (JSON.stringify(config.Properties?.FunctionName) !== JSON.stringify(fnRef)) continue;
    const destination = JSON.stringify(config.Properties?.DestinationConfig ?? {});
    if (queues.some((queueId) => destination.includes(`"${queueId}"`)))
      actions.set("sqs:SendMessage", "the on-failure SQS destination");
  }
  return actions;
}

describe("each role grants exactly the actions its function's code and Lambda use", () => {
  it("covers every function of the stack", () => {
    expect(Object.keys(ENTRIES).sort()).toEqual(Object.keys(stack.functions).sort());
  });

  it.each(Object.keys(ENTRIES) as FunctionName[])("%s", (name) => {
    const needed = new Map([...actionsOfPlatform(name), ...actionsOfCode(ENTRIES[name])]);
    const granted = new Set(grantedActions(name));
    const missing = [...needed].filter(([action]) => !granted.has(action));
    const unused = [...granted].filter((action) => !needed.has(action));
    expect({ missing, unused }).toEqual({ missing: [], unused: [] });
  });

  it("finds the commands it knows in the code (the derivation itself works)", () => {
    const sampler = actionsOfCode(ENTRIES.sampler);
    expect(sampler.get("dynamodb:PutItem")).toMatch(
      /transaction's Put item in core\/sampler\/ingest\.ts/,
    );
    expect(sampler.get("s3:GetObjectVersion")).toMatch(/ingest\.ts/);
    expect(sampler.get("sqs:SendMessage")).toMatch(
      /SendMessageBatchCommand in core\/sampler\/send-tasks\.ts/,
    );
    expect(sampler.has("dynamodb:DeleteItem")).toBe(false);
  });
});
