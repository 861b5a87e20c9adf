/** What the login page shows. */
export interface LoginPageOptions {
  /** Where the form posts: `<base>/login`. */
  readonly action: string;
  /** Kept in a hidden field and checked again on POST. */
  readonly next: string;
  /** The user name typed before (shown again after a failure). */
  readonly user?: string;
  /** One generic sentence (never says whether the user exists). */
  readonly error?: string;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * The login form as one self-contained HTML page: inline styles, no script, no external asset
 * (the page is served with a CSP allowing nothing else).
 */
export function renderLoginPage(options: LoginPageOptions): string {
  const error = options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Queues dashboard: log in</title>
<style>
body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; display: flex; min-height: 100vh; align-items: center; justify-content: center; }
form { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); width: min(22rem, 90vw); }
h1 { font-size: 1.25rem; margin: 0 0 1rem; }
label { display: block; margin: .75rem 0 .25rem; font-size: .9rem; }
input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; border: 1px solid #bbb; border-radius: 4px; }
button { margin-top: 1.25rem; width: 100%; padding: .6rem; font-size: 1rem; background: #2d5bd7; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
.error { color: #b00020; margin: 0 0 .5rem; }
</style>
</head>
<body>
<form method="post" action="${escapeHtml(options.action)}">
<h1>Queues dashboard</h1>
${error}
<input type="hidden" name="next" value="${escapeHtml(options.next)}">
<label for="user">User</label>
<input id="user" name="user" type="text" autocomplete="username" required value="${escapeHtml(options.user ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button>
</form>
</body>
</html>
`;
}
