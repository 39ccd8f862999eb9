import type { Command } from "commander";
import { issueDevToken, loadOrCreateDevIssuer } from "../../local/auth/dev-issuer";
import { CliError } from "../output";

const ROLES = ["reviewer", "manager", "admin"] as const;

/** `spotcheck dev token --role reviewer [--vendor V] [--sub name]`: a token from the local issuer. */
export function registerDev(program: Command): void {
  const dev = program.command("dev").description("local development helpers");
  dev
    .command("token")
    .description("print a bearer token signed by the local stack's issuer (as Cognito would issue)")
    .requiredOption("--role <role>", ROLES.join(" | "))
    .option(
      "--vendor <vendor>",
      "vendor the person is affiliated with (never reviews it; managers see only it)",
    )
    .option("--sub <name>", "user id", "dev-user")
    .option("--ttl <seconds>", "lifetime in seconds", "28800")
    .action(async (options: { role: string; vendor?: string; sub: string; ttl: string }) => {
      const role = ROLES.find((r) => r === options.role);
      if (!role)
        throw new CliError(`--role must be one of ${ROLES.join(", ")}, got '${options.role}'`);
      const ttl = Number(options.ttl);
      if (!Number.isInteger(ttl) || ttl < 60)
        throw new CliError("--ttl takes whole seconds, at least 60");
      const issuer = await loadOrCreateDevIssuer();
      const token = await issueDevToken(
        issuer,
        { sub: options.sub, role, ...(options.vendor ? { vendor: options.vendor } : {}) },
        ttl,
      );
      process.stdout.write(`${token}\n`);
    });
}
