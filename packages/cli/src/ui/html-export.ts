// `cairn inspect <id> --html FILE`: the execution view as one file that opens anywhere, offline —
// the page's CSS and script inline and the execution embedded as JSON, nothing fetched.
import type { UiAssets } from "./assets.js";
import type { ExecutionView } from "./view-types.js";

/** The id of the script element holding the embedded execution; the page reads it instead of the API. */
export const EMBEDDED_DATA_ID = "cairn-execution";

/** Text safe inside a <script> element: no "</script" (or "<!--") can end it early. */
function scriptText(text: string): string {
  return text.replace(/<(\/script|!--)/gi, "\\u003c$1");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The self-contained HTML page showing `view`. */
export function exportHtml(view: ExecutionView, assets: UiAssets): string {
  // JSON inside a script: "<" escaped everywhere, which JSON.parse reads back unchanged.
  const data = JSON.stringify(view).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  const script = assets.script.replace(/<\/script/gi, "<\\/script");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Cairn — ${view.executionName} (${view.status})`)}</title>
<style>${assets.style.replace(/<\/style/gi, "<\\/style")}</style>
</head>
<body data-mode="export">
<div id="app"></div>
<script type="application/json" id="${EMBEDDED_DATA_ID}">${scriptText(data)}</script>
<script>${script}</script>
</body>
</html>
`;
}
