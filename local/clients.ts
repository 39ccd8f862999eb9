import { type AwsClients, awsClients } from "../core/aws-clients";
import type { Endpoints } from "./endpoints";

/** Emulators accept any credentials; fixed ones keep the SDK from searching the machine. */
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

/** SDK clients pointed at the local emulators: the same clients the functions build. */
export type LocalClients = AwsClients;

/** Builds real AWS SDK clients for a local stack's endpoints. */
export function localClients(
  endpoints: Pick<Endpoints, "region" | "s3" | "sqs" | "dynamodb">,
): LocalClients {
  return awsClients({
    region: endpoints.region,
    credentials,
    endpoints: { s3: endpoints.s3, sqs: endpoints.sqs, dynamodb: endpoints.dynamodb },
  });
}

/** Closes the clients' sockets so a process can exit promptly. */
export function destroyClients(clients: LocalClients): void {
  clients.s3.destroy();
  clients.sqs.destroy();
  clients.doc.destroy();
  clients.dynamodb.destroy();
}
