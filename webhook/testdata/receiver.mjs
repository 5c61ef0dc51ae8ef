// A webhook receiver on 127.0.0.1 that judges allot's deliveries with the
// npm package standardwebhooks, an implementation of the specification
// independent of allot's. It prints its port, then serves:
//   POST /control  {"secrets": [...], "answers": {"/path": [{"status": 500, "retryAfter": "120"} | {"hang": true}, ...]}}
//                  sets the secrets to check and queues the answers of a path (200 when none is queued);
//   GET  /log      the deliveries received, in order;
//   POST /<path>   a delivery: recorded with which secrets signed it and whether Webhook.verify accepts it.
import http from "node:http";
import { Webhook } from "standardwebhooks";

let secrets = [];
const answers = {};
const log = [];

function body(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

const server = http.createServer(async (req, res) => {
  const raw = await body(req);
  if (req.url === "/control") {
    const c = JSON.parse(raw.toString());
    if (c.secrets) secrets = c.secrets;
    for (const [path, list] of Object.entries(c.answers || {})) answers[path] = (answers[path] || []).concat(list);
    res.end("{}");
    return;
  }
  if (req.url === "/log") {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(log));
    return;
  }
  const id = req.headers["webhook-id"];
  const ts = req.headers["webhook-timestamp"];
  const passed = (req.headers["webhook-signature"] || "").split(" ");
  // Which of the secrets signed it, by the package's own signing.
  const signedBy = secrets.map((s) => passed.includes(new Webhook(s).sign(id, new Date(Number(ts) * 1000), raw)));
  let verified = false, type = "", error = "";
  try {
    const payload = new Webhook(secrets[0]).verify(raw, req.headers);
    verified = true;
    type = payload.type;
  } catch (e) {
    error = String(e.message || e);
    try { type = JSON.parse(raw.toString()).type; } catch {}
  }
  const next = (answers[req.url] || []).shift() || { status: 200 };
  log.push({ path: req.url, id, timestamp: ts, signatures: passed.length, signedBy, verified, error, type,
    body: raw.toString(), answered: next.hang ? 0 : next.status });
  if (next.hang) return; // never answers: the attempt times out
  if (next.retryAfter) res.setHeader("retry-after", next.retryAfter);
  res.statusCode = next.status;
  res.end(next.status === 200 ? "ok" : "no");
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
