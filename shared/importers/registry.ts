/**
 * Every export format the importers read, in the order documents are tested against them:
 * Call Analytics before Contact Lens (both have a transcript of turns; only the former has a
 * job name), Contact Lens before Connect chat.
 */
import type { SourceFormat } from "../transcript";
import { canonicalImporter } from "./canonical";
import { connectChatImporter } from "./connect-chat";
import { contactLensImporter } from "./contact-lens";
import type { Importer } from "./importer";
import { callAnalyticsImporter } from "./transcribe-call-analytics";
import { zendeskImporter } from "./zendesk";

/** The importers, in detection order. */
export const IMPORTERS = [
  canonicalImporter,
  callAnalyticsImporter,
  contactLensImporter,
  connectChatImporter,
  zendeskImporter,
] as const satisfies readonly Importer[];

// A format named in SOURCE_FORMATS without an importer is a type error here.
type Unread = Exclude<SourceFormat, (typeof IMPORTERS)[number]["format"]>;
const everyFormatRead: [Unread] extends [never] ? true : Unread = true;
void everyFormatRead;
