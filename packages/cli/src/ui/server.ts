import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { uiRequestHandler } from "./api.js";
import { uiAssets, type UiAssets } from "./assets.js";
import type { UiDataSource } from "./data-source.js";

/** The address the server binds: loopback only, never a public interface. */
export const UI_HOST = "127.0.0.1";

/** A running web view server. */
export interface UiServer {
  /** The page's URL, e.g. http://127.0.0.1:4321/. */
  url: string;
  /** The port it listens on (the one the OS picked for port 0). */
  port: number;
  /** Stops accepting requests and closes open connections. */
  close(): Promise<void>;
}

/**
 * Serves the web view over `source` on 127.0.0.1:`port` (0: any free port). Rejects with the
 * listen error (EADDRINUSE for a taken port).
 */
export async function startUiServer(source: UiDataSource, options: { port: number; assets?: () => UiAssets }): Promise<UiServer> {
  const server: Server = createServer(uiRequestHandler(source, options.assets ?? uiAssets));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, UI_HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${UI_HOST}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
