// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DevSignInForm } from "../../web/dev-sign-in/sign-in-form";
import { localPath } from "../../web/lib/return-path";

afterEach(cleanup);

describe("local sign-in form", () => {
  it("asks the issuer for a token with the name, role and vendor, then signs in", async () => {
    const requestToken = vi.fn(async () => "tok");
    const signedIn = vi.fn();
    render(<DevSignInForm requestToken={requestToken} signedIn={signedIn} forDashboard={false} />);
    fireEvent.input(screen.getByLabelText("Name"), { target: { value: "maria" } });
    fireEvent.change(screen.getByLabelText("Role"), { target: { value: "admin" } });
    fireEvent.input(screen.getByLabelText("Vendor affiliation (optional)"), {
      target: { value: " northwind-bpo " },
    });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(signedIn).toHaveBeenCalledWith("tok", "admin"));
    expect(requestToken).toHaveBeenCalledWith({
      sub: "maria",
      role: "admin",
      vendor: "northwind-bpo",
    });
  });

  it("starts as a manager when the dashboard sent the user", () => {
    render(<DevSignInForm requestToken={vi.fn()} signedIn={vi.fn()} forDashboard />);
    expect((screen.getByLabelText("Role") as HTMLSelectElement).value).toBe("manager");
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("qa-lead");
  });

  it("says why when the issuer refuses the name", async () => {
    const signedIn = vi.fn();
    render(
      <DevSignInForm requestToken={async () => null} signedIn={signedIn} forDashboard={false} />,
    );
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await screen.findByText("Sign-in refused: check the name (letters, digits, . _ @ -).");
    expect(signedIn).not.toHaveBeenCalled();
  });
});

describe("return path", () => {
  const origin = "https://app.example";
  const devPages = (pathname: string) => pathname.startsWith("/dev/");

  it("keeps a path on this origin with its query and hash", () => {
    expect(localPath("/dashboard?tab=2#trend", origin, devPages)).toBe("/dashboard?tab=2#trend");
  });

  it.each(["//evil.example/x", "/\\evil.example", "https://evil.example/", "dashboard", "", null])(
    "refuses %s",
    (value) => {
      expect(localPath(value, origin, devPages)).toBeUndefined();
    },
  );

  it("refuses the pages the caller excludes", () => {
    expect(localPath("/dev/sign-in", origin, devPages)).toBeUndefined();
  });
});
