import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localNames } from "../../local/provision";
import { type LocalStack, startLocalStack } from "../../local/stack";
import { startTestStack } from "../integration/stack";

let first: LocalStack;
let second: LocalStack;

beforeAll(async () => {
  [first, second] = await Promise.all([startTestStack(), startTestStack()]);
});

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
});

describe("stacks sharing one DynamoDB Local", () => {
  it("use the same DynamoDB Local with a table, bucket and queues each", () => {
    expect(second.endpoints.dynamodb).toBe(first.endpoints.dynamodb);
    expect(second.endpoints.table).not.toBe(first.endpoints.table);
    expect(second.endpoints.bucket).not.toBe(first.endpoints.bucket);
    expect(second.endpoints.queues.ingest).not.toBe(first.endpoints.queues.ingest);
    expect(first.endpoints.table).toMatch(/^namespace-[0-9a-f]{6}-spotcheck$/);
    expect(first.endpoints.bucket).toBe(`${first.endpoints.table}-transcripts`);
  });

  it("never see each other's items", async () => {
    const item = { pk: "NS#probe", sk: "A", type: "probe" };
    await first.clients.doc.send(new PutCommand({ TableName: first.endpoints.table, Item: item }));
    const key = { pk: item.pk, sk: item.sk };
    const mine = await first.clients.doc.send(
      new GetCommand({ TableName: first.endpoints.table, Key: key }),
    );
    const theirs = await second.clients.doc.send(
      new GetCommand({ TableName: second.endpoints.table, Key: key }),
    );
    expect(mine.Item).toEqual(item);
    expect(theirs.Item).toBeUndefined();
  });

  it("delete only their own table at stop, and leave the shared DynamoDB Local running", async () => {
    const third = await startTestStack();
    const table = third.endpoints.table;
    await third.stop();
    const { TableNames = [] } = await first.clients.dynamodb.send(new ListTablesCommand({}));
    expect(TableNames).not.toContain(table);
    expect(TableNames).toEqual(
      expect.arrayContaining([first.endpoints.table, second.endpoints.table]),
    );
  });

  it("refuse a data folder, which needs a DynamoDB Local of its own", async () => {
    await expect(
      startLocalStack({
        ports: { web: 0, aws: 0, dynamodb: 0 },
        emulators: { dynamodb: first.endpoints.dynamodb },
        dataDir: "/nonexistent",
      }),
    ).rejects.toThrow(/DynamoDB Local of its own/);
  });
});

describe("resource names", () => {
  it("are the plain ones without a namespace, as `npm start` creates them", () => {
    expect(localNames().table).toBe("spotcheck");
    expect(localNames().bucket).toBe("spotcheck-transcripts");
    expect(localNames("a1").bucket).toBe("a1-spotcheck-transcripts");
  });

  it("refuse a namespace that would not make a valid bucket name", () => {
    for (const bad of ["", "Upper", "-lead", "trail-", "under_score", "x".repeat(31)]) {
      expect(() => localNames(bad), bad).toThrow(/namespace/);
    }
  });
});
