// Runs s3rver on a free loopback port over the directory given as argv[2], printing
// {"port": N} on stdout once it listens; stops on SIGTERM. Run by local-s3.ts with
// --openssl-legacy-provider: s3rver makes its ListObjectsV2 continuation tokens with DES, which
// OpenSSL 3 only offers through the legacy provider.
import S3rver from "s3rver";

const server = new S3rver({ address: "127.0.0.1", port: 0, silent: process.env.S3RVER_LOG !== "1", directory: process.argv[2] });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on("SIGTERM", () => {
  server.close().then(() => process.exit(0), () => process.exit(1));
});
