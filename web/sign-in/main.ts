import { readPageConfig } from "../lib/page-config";
import { type SignInConfig, signInFlow } from "./flow";

// The page's HTML holds the status, error and "sign in again" elements; this script only
// fills them with text.
function fail(message: string) {
  const status = document.getElementById("status");
  const error = document.getElementById("error");
  const again = document.getElementById("again");
  if (status) status.hidden = true;
  if (error) {
    error.textContent = message;
    error.hidden = false;
  }
  if (again) again.hidden = false;
}

const config = readPageConfig<SignInConfig>();
const flow = signInFlow(
  config,
  {
    location,
    referrer: document.referrer,
    storage: sessionStorage,
    fetch: (input, init) => fetch(input, init),
    crypto,
  },
  fail,
);
Promise.resolve()
  .then(flow[config.page])
  .catch(() => fail("Signing in failed: check your connection and sign in again."));
