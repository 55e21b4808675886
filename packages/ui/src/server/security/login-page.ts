/** The login page: plain HTML and a form POST (no script), shown with 401 to browsers without a session. */

function escapeHTML(text: string): string {
  return text.replace(
    /[&<>"']/g,
    character =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!,
  );
}

/** The login page's own policy: inline styles only, nothing loaded, no script at all. */
export const loginPageSecurityPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function renderLoginPage(error?: string): string {
  const message = error
    ? `<p class="error" role="alert" id="login-error">${escapeHTML(error)}</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Conduit: sign in</title>
<style>
  :root { color-scheme: light dark; --fg: #1a1d21; --bg: #f6f7f9; --card: #fff; --line: #c9ced6; --accent: #1d5fd1; --bad: #b3261e; }
  @media (prefers-color-scheme: dark) { :root { --fg: #e8eaed; --bg: #15171a; --card: #1e2126; --line: #3a3f47; --accent: #8ab4f8; --bad: #f2b8b5; } }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, sans-serif; }
  main { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 28px 32px; width: min(360px, 90vw); }
  h1 { font-size: 20px; margin: 0 0 6px; }
  p { margin: 0 0 16px; }
  label { display: block; font-weight: 600; margin-bottom: 6px; }
  input { width: 100%; box-sizing: border-box; padding: 9px 10px; font: inherit; color: inherit; background: transparent; border: 1px solid var(--line); border-radius: 6px; }
  input:focus-visible, button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
  button { margin-top: 16px; width: 100%; padding: 9px; font: inherit; font-weight: 600; color: #fff; background: #1d5fd1; border: 0; border-radius: 6px; cursor: pointer; }
  .error { color: var(--bad); font-weight: 600; }
</style>
</head>
<body>
<main>
  <h1>Conduit</h1>
  <p>This gateway has an <code>APIKEY</code>. Enter it to open the dashboard; the browser keeps only a session cookie.</p>
  ${message}
  <form method="post" action="/ui/login">
    <label for="apiKey">API key</label>
    <input id="apiKey" name="apiKey" type="password" autocomplete="current-password" required autofocus>
    <button type="submit">Sign in</button>
  </form>
</main>
</body>
</html>`;
}
