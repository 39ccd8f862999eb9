import type { Command } from "commander";
import { reconcile, resendObjects } from "../../core/audit/reconcile";
import { parseFormat, printJson, printTable } from "../output";
import { withAuditTarget } from "../stack-clients";
import { arrivalRangeOptions, dateRange } from "./date-range";

/**
 * `spotcheck reconcile --from D --to D [--repair] [--aws]`: bucket against ledger and
 * quarantine; exit 1 on a gap that is left.
 */
export function registerReconcile(program: Command): void {
  arrivalRangeOptions(program.command("reconcile"))
    .description(
      "list objects in neither ledger nor quarantine, ledger entries with no object and objects changed since they were sampled; exit 1 if any is left",
    )
    .option(
      "--repair",
      "send the missing objects through ingestion again (their Object Created events to the ingest queue)",
    )
    .option(
      "--aws",
      "check the AWS deployment named by $TRANSCRIPTS_BUCKET_NAME, $TABLE_NAME and $INGEST_QUEUE_URL instead of the local stack",
    )
    .action(
      async (options: {
        from: string;
        to: string;
        format: string;
        repair?: boolean;
        aws?: boolean;
      }) => {
        const format = parseFormat(options.format);
        const { from, to } = dateRange(options);
        const { missingObjects, ...result } = await withAuditTarget(
          options.aws === true,
          async (target, clients) => {
            const found = await reconcile(
              { s3: clients.s3, db: clients.doc, table: target.table, bucket: target.bucket },
              from,
              to,
            );
            if (!options.repair) return found;
            const repaired = await resendObjects(
              {
                sqs: clients.sqs,
                ingestQueueUrl: target.ingestQueueUrl,
                bucket: target.bucket,
                region: target.region,
                now: () => new Date(),
              },
              found.missingObjects,
            );
            return { ...found, repaired };
          },
        );
        const repaired = "repaired" in result ? result.repaired : undefined;
        if (format === "json") printJson(result);
        else {
          printTable([
            {
              from,
              to,
              objects: result.objects,
              ledger: result.outcomes.ledger ?? 0,
              duplicates: result.outcomes.duplicate ?? 0,
              quarantined: result.outcomes.quarantined ?? 0,
              missing: result.missing.length,
              orphaned: result.orphaned.length,
              changed: result.changed.length,
            },
          ]);
          for (const name of result.missing.slice(0, 50))
            process.stdout.write(`missing  ${name}\n`);
          for (const name of result.orphaned.slice(0, 50))
            process.stdout.write(`orphaned ${name}\n`);
          for (const c of result.changed.slice(0, 50))
            process.stdout.write(
              `changed  ${c.object} (sampled as ${c.recorded}, now ${c.current}; ${c.interactionId})\n`,
            );
          if (repaired !== undefined)
            process.stdout.write(
              `\nre-sent ${repaired} missing object${repaired === 1 ? "" : "s"} through ingestion: run reconcile again once the sampler has caught up\n`,
            );
        }
        // Re-sent objects are on their way; orphaned and changed entries need a person.
        const gaps =
          (repaired === undefined ? result.missing.length : 0) +
          result.orphaned.length +
          result.changed.length;
        if (gaps > 0) process.exitCode = 1;
      },
    );
}
