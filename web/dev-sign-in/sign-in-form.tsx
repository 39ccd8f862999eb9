import { useState } from "preact/hooks";

/** The roles the local issuer signs tokens for. */
export type DevRole = "reviewer" | "manager" | "admin";

/** Props of {@link DevSignInForm}. */
export interface DevSignInFormProps {
  /** Asks the local issuer for a token; null when it refuses. */
  requestToken: (body: { sub: string; role: DevRole; vendor?: string }) => Promise<string | null>;
  /** Keeps the token and leaves the page for the role's (or the asked-for) page. */
  signedIn: (token: string, role: DevRole) => void;
  /** Prefilled as a manager when the page asked for is the dashboard. */
  forDashboard: boolean;
}

/** The local stack's sign-in: a name, a role and an optional vendor affiliation. */
export function DevSignInForm({ requestToken, signedIn, forDashboard }: DevSignInFormProps) {
  const [sub, setSub] = useState(forDashboard ? "qa-lead" : "reviewer-1");
  const [role, setRole] = useState<DevRole>(forDashboard ? "manager" : "reviewer");
  const [vendor, setVendor] = useState("");
  const [error, setError] = useState("");

  async function submit(event: Event) {
    event.preventDefault();
    const trimmed = vendor.trim();
    const token = await requestToken({ sub, role, ...(trimmed ? { vendor: trimmed } : {}) });
    if (token === null) {
      setError("Sign-in refused: check the name (letters, digits, . _ @ -).");
      return;
    }
    signedIn(token, role);
  }

  return (
    <form id="f" onSubmit={(e) => void submit(e)}>
      <h1>Spotcheck · sign in</h1>
      <p>Local development sign-in. In AWS, the Cognito user pool signs people in.</p>
      <label>
        Name{" "}
        <input
          id="sub"
          name="sub"
          value={sub}
          required
          autocomplete="username"
          onInput={(e) => setSub(e.currentTarget.value)}
        />
      </label>
      <label>
        Role{" "}
        <select
          id="role"
          name="role"
          value={role}
          onChange={(e) => setRole(e.currentTarget.value as DevRole)}
        >
          <option>reviewer</option>
          <option>manager</option>
          <option>admin</option>
        </select>
      </label>
      <label>
        Vendor affiliation (optional){" "}
        <input
          id="vendor"
          name="vendor"
          placeholder="e.g. northwind-bpo"
          value={vendor}
          onInput={(e) => setVendor(e.currentTarget.value)}
        />
      </label>
      <button type="submit" id="go">
        Sign in
      </button>
      <p id="err" class="err" role="alert">
        {error}
      </p>
    </form>
  );
}
