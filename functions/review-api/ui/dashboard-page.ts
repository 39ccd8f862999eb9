/**
 * The managers' dashboard. Being written: for now it only names the endpoints it will use.
 */
export function dashboardPage(options: { signInUrl: string }): string {
  const signIn = JSON.stringify(options.signInUrl);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Spotcheck · dashboard</title></head>
<body><p>Dashboard: see /api/trends, /api/channels, /api/agents, /api/drift, /api/calibration.</p>
<script>if (!sessionStorage.getItem("spotcheck.token")) location.href = ${signIn};</script></body></html>`;
}
