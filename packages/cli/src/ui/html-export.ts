// `cairn inspect <id> --html FILE`: the execution view as one file that opens anywhere, offline —
// the page's CSS and script inline and the execution embedded as JSON, nothing fetched.
import type { UiAssets } from "./assets.js";
import { FULL_HISTORY_MAX_EVENTS, timelineEvents } from "./data-source.js";
import type { ExecutionView } from "./view-types.js";

/** The id of the script element holding the embedded execution; the page reads it instead of the API. */
export const EMBEDDED_DATA_ID = "cairn-execution";
/**
 * The id of the script element holding a large execution's whole history, parsed only when an
 * operation's details are opened: the page loads as fast as the live one, which reads those
 * events from the server on demand.
 */
export const EMBEDDED_HISTORY_ID = "cairn-history";

/** Text safe inside a <script> element: no "</script" (or "<!--") can end it early. */
function scriptText(text: string): string {
  return text.replace(/<(\/script|!--)/gi, "\\u003c$1");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside a script element: "<" escaped everywhere, which JSON.parse reads back unchanged. */
function embeddedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * The self-contained HTML page showing `view` (read with its whole history). Past
 * {@link FULL_HISTORY_MAX_EVENTS} events the view embedded for the timeline carries only the
 * events it draws from, and the whole history sits in a second JSON element.
 */
export function exportHtml(view: ExecutionView, assets: UiAssets): string {
  const split = view.history.length > FULL_HISTORY_MAX_EVENTS;
  const shown: ExecutionView = split ? { ...view, history: timelineEvents(view.operations, view.history), historyComplete: false } : view;
  const data = embeddedJson(shown);
  const history = split ? `\n<script type="application/json" id="${EMBEDDED_HISTORY_ID}">${scriptText(embeddedJson(view.history))}</script>` : "";
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
<script type="application/json" id="${EMBEDDED_DATA_ID}">${scriptText(data)}</script>${history}
<script>${script}</script>
</body>
</html>
`;
}
