// Keeps the local server local. It listens on 127.0.0.1 only, but a web page the user visits can
// still reach it from their browser: through DNS rebinding (a hostile name that resolves to
// 127.0.0.1, seen in the Host header) or a cross-site form/fetch POST (seen in Origin and
// Sec-Fetch-Site). Both are refused before any route runs.
import type { IncomingMessage } from "node:http";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The host name of a Host header value ("127.0.0.1:8080" → "127.0.0.1", "[::1]:80" → "[::1]"). */
function hostName(host: string): string {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(":");
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}

/** Whether a Host header names this machine's loopback interface (any port). */
export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOSTS.has(hostName(host.trim()));
}

/** Why the request must be refused, or undefined when it may proceed. */
export function refusal(request: IncomingMessage): string | undefined {
  const host = request.headers.host;
  if (!isLoopbackHost(host)) {
    return `Host "${host ?? ""}" is not a loopback address; open the page at the http://127.0.0.1:<port>/ URL "cairn ui" printed.`;
  }
  if (request.method === "GET" || request.method === "HEAD") return undefined;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return `Cross-origin request from ${origin} refused: only the page served here may change executions.`;
  }
  const site = request.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    return `Cross-site request (Sec-Fetch-Site: ${String(site)}) refused: only the page served here may change executions.`;
  }
  return undefined;
}
