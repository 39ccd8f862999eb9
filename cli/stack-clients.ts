import { destroyClients, type LocalClients, localClients } from "../local/clients";
import { type Endpoints, readEndpoints } from "../local/endpoints";

/** Runs `fn` with SDK clients for the running local stack, closing them afterwards. */
export async function withStack<T>(
  fn: (endpoints: Endpoints, clients: LocalClients) => Promise<T>,
): Promise<T> {
  const endpoints = await readEndpoints();
  const clients = localClients(endpoints);
  try {
    return await fn(endpoints, clients);
  } finally {
    destroyClients(clients);
  }
}
