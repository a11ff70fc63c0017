// Portkey's gateway (its Node build) for the side-by-side benchmark, bound to 127.0.0.1 only: its own start
// script listens on every interface and prints a fixed port. Plain JavaScript, so Portkey runs without tsx's hooks.
// Usage: node bench/portkey-server.mjs --port=0 --headless
import net from "node:net";

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (port, ...rest) {
  if (typeof port !== "number") return listen.call(this, port, ...rest);
  this.once("listening", () => {
    const address = this.address();
    console.log(
      `Portkey listening on http://127.0.0.1:${typeof address === "object" && address ? address.port : port}`,
    );
  });
  const callback = rest.find((r) => typeof r === "function");
  return listen.call(this, port, "127.0.0.1", callback);
};

await import("@portkey-ai/gateway/build/start-server.js");
