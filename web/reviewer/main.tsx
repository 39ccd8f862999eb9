import { render } from "preact";
import { createApiClient } from "../lib/api";
import { readPageConfig } from "../lib/page-config";
import { describeUser, readClaims } from "../lib/token";
import { ReviewerApp } from "./app";

/** What the server writes into the reviewer page. */
interface ReviewerConfig {
  signInUrl: string;
  signOutUrl: string;
}

const config = readPageConfig<ReviewerConfig>();
const api = createApiClient({ signInUrl: config.signInUrl });
const token = api.token();
const root = document.getElementById("root");
if (!token) location.assign(config.signInUrl);
else if (root) {
  const claims = readClaims(token);
  render(
    <ReviewerApp
      api={api}
      signOutUrl={config.signOutUrl}
      who={claims ? describeUser(claims) : ""}
    />,
    root,
  );
}
