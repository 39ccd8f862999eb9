import { createServer } from "node:net";
import { SpotcheckError } from "../../shared/errors";

/** A port the local stack needs is taken by another process. */
export class PortBusyError extends SpotcheckError {
  override name = "PortBusyError";
  constructor(
    readonly port: number,
    readonly purpose: string,
    readonly envVar: string,
  ) {
    super(
      `port ${port} (${purpose}) is already in use: stop the process using it (see 'ss -ltnp | grep :${port}'), or choose another port with ${envVar}=<port>`,
    );
  }
}

/**
 * Resolves to a free port on 127.0.0.1: `port` itself if it can be bound, or any free port
 * when `port` is 0. Throws PortBusyError when a fixed port is taken.
 */
export async function claimPort(port: number, purpose: string, envVar: string): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" ? new PortBusyError(port, purpose, envVar) : error);
    });
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === "object" && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}
