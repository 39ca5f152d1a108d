// A webhook receiver that verifies every POST with the `standardwebhooks` npm
// package (the Standard Webhooks project's own library), as a receiver built
// on it would: 204 when the signature verifies, 401 with the library's reason
// when it does not. Prints its port on stdout, then one JSON line per request.
// Usage: node standard_webhooks_receiver.js NODE_MODULES_DIR SECRET
"use strict";
const http = require("http");
const path = require("path");
const { Webhook } = require(path.join(process.argv[2], "standardwebhooks"));
const wh = new Webhook(process.argv[3]);
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    let verdict = "verified";
    try {
      wh.verify(body, req.headers);
    } catch (e) {
      verdict = "rejected: " + e.message;
    }
    console.log(JSON.stringify({ method: req.method, verdict, id: req.headers["webhook-id"] || null }));
    res.writeHead(verdict === "verified" ? 204 : 401, { "Content-Type": "text/plain" });
    res.end(verdict === "verified" ? "" : verdict);
  });
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
setTimeout(() => process.exit(0), 60000).unref();  // bounded, whatever happens
