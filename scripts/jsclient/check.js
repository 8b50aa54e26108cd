// check.js: Microsoft's JavaScript Graph client (@microsoft/microsoft-graph-client) against
// `drafts emulator --tls`, for the operations drafts uses. Run by scripts/jsclient.sh, which
// installs the client, starts the emulator and sets NODE_EXTRA_CA_CERTS to the CA it prints.
// Usage: node check.js https://127.0.0.1:PORT/v1.0
// Exits non-zero, saying what differed, on the first mismatch.
"use strict";

const { Client, PageIterator, BatchRequestContent, BatchResponseContent } = require("@microsoft/microsoft-graph-client");

const base = process.argv[2];
if (!base || !base.startsWith("https://") || !base.endsWith("/v1.0")) {
  console.error("usage: node check.js https://127.0.0.1:PORT/v1.0");
  process.exit(2);
}
const origin = base.slice(0, -"/v1.0".length);
const host = new URL(origin).hostname;

const client = Client.init({
  baseUrl: origin,
  defaultVersion: "v1.0",
  customHosts: new Set([host]), // the client sends the token only to Graph's hosts and these
  authProvider: (done) => done(null, "drafts-jsclient-check"),
});

let step = "";
function check(ok, what) {
  if (!ok) {
    throw new Error(`${step}: ${what}`);
  }
}

async function expectError(promise, status, code) {
  try {
    await promise;
  } catch (e) {
    check(e.statusCode === status && e.code === code, `want ${status} ${code}, got ${e.statusCode} ${e.code}: ${e.message}`);
    return e;
  }
  check(false, `want ${status} ${code}, got success`);
}

async function main() {
  step = "list drafts with paging";
  const first = await client.api("/me/mailFolders/drafts/messages").select("id,subject,isDraft").top(3).get();
  check(typeof first["@odata.nextLink"] === "string" && first["@odata.nextLink"].startsWith(origin + "/v1.0/"), `nextLink ${first["@odata.nextLink"]}`);
  const drafts = [];
  const pages = new PageIterator(client, first, (m) => {
    drafts.push(m);
    return true;
  });
  await pages.iterate();
  const count = Number(await client.api("/me/mailFolders/drafts/messages/$count").get());
  check(Number.isInteger(count) && count > 3, `$count ${count}`);
  check(drafts.length === count, `${drafts.length} drafts over the pages, $count says ${count}`);
  check(new Set(drafts.map((m) => m.id)).size === count, "a draft was listed twice");
  check(drafts.every((m) => m.isDraft === true && m.body === undefined), "a listed draft is not a draft, or has a body");

  step = "get one draft";
  const one = await client.api(`/me/messages/${drafts[0].id}`).header("Prefer", 'outlook.body-content-type="text"').get();
  check(one.id === drafts[0].id && one.subject === drafts[0].subject, `got ${one.id} "${one.subject}"`);
  check(one.body && one.body.contentType === "text", `body ${JSON.stringify(one.body)}`);

  step = "create a draft";
  const created = await client.api("/me/messages").post({
    subject: "From the JavaScript client",
    body: { contentType: "html", content: "Hello <b>there</b>" },
    toRecipients: [{ emailAddress: { address: "alex@contoso.example" } }],
  });
  check(created.isDraft === true && created.from === undefined && created.sentDateTime, `isDraft ${created.isDraft}, from ${JSON.stringify(created.from)}`);
  check(created.body.content.startsWith("<html>") && created.body.content.includes("Hello <b>there</b>"), `body ${created.body.content}`);

  step = "patch it (If-Match)";
  const patched = await client.api(`/me/messages/${created.id}`).header("If-Match", created["@odata.etag"]).patch({ subject: "From the JavaScript client, edited" });
  check(patched.subject === "From the JavaScript client, edited" && patched.changeKey !== created.changeKey, `subject "${patched.subject}"`);
  await expectError(client.api(`/me/messages/${created.id}`).header("If-Match", created["@odata.etag"]).patch({ subject: "stale" }), 412, "ErrorIrresolvableConflict");

  step = "attach a file and list attachments";
  await client.api(`/me/messages/${created.id}/attachments`).post({
    "@odata.type": "#microsoft.graph.fileAttachment",
    name: "note.txt",
    contentType: "text/plain",
    contentBytes: Buffer.from("a note").toString("base64"),
  });
  const atts = await client.api(`/me/messages/${created.id}/attachments`).select("id,name,size").get();
  check(atts.value.length === 1 && atts.value[0].name === "note.txt", `attachments ${JSON.stringify(atts.value)}`);

  step = "createReply";
  const inbox = await client.api("/me/mailFolders/inbox/messages").top(1).select("id,subject").get();
  check(inbox.value.length === 1, "the inbox is empty");
  const reply = await client.api(`/me/messages/${inbox.value[0].id}/createReply`).post({ comment: "Thanks!" });
  check(reply.isDraft === true && /^RE: /i.test(reply.subject), `reply "${reply.subject}"`);

  step = "send it";
  const before = await client.api(`/me/messages/${created.id}`).select("internetMessageId").get();
  await client.api(`/me/messages/${created.id}/send`).post();
  await expectError(client.api(`/me/messages/${created.id}`).get(), 404, "ErrorItemNotFound");

  step = "find it in Sent Items";
  let sent = [];
  for (let i = 0; i < 50 && sent.length === 0; i++) {
    const res = await client.api("/me/mailFolders/sentitems/messages")
      .filter(`internetMessageId eq '${before.internetMessageId.replace(/'/g, "''")}'`)
      .select("id,subject,isDraft,from").get();
    sent = res.value;
    if (sent.length === 0) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  check(sent.length === 1 && sent[0].isDraft === false && sent[0].id !== created.id, `Sent Items ${JSON.stringify(sent)}`);
  check(sent[0].from && sent[0].from.emailAddress.address, "the sent copy has no from");

  step = "$batch"; // serial: the client allows only parallel, serial or same-dependency batches
  const batch = new BatchRequestContent([
    { id: "drafts", request: new Request(`${base}/me/mailFolders/drafts/messages?$top=1&$select=subject`, { method: "GET" }) },
    { id: "reply", request: new Request(`${base}/me/messages/${reply.id}`, { method: "GET" }), dependsOn: ["drafts"] },
    { id: "gone", request: new Request(`${base}/me/messages/${created.id}`, { method: "GET" }), dependsOn: ["reply"] },
    { id: "after-gone", request: new Request(`${base}/me/messages/${reply.id}`, { method: "GET" }), dependsOn: ["gone"] },
  ]);
  const answer = new BatchResponseContent(await client.api("/$batch").post(await batch.getContent()));
  const r = (id) => answer.getResponseById(id);
  check(r("drafts").status === 200 && r("reply").status === 200 && r("gone").status === 404 && r("after-gone").status === 424,
    `statuses ${["drafts", "reply", "gone", "after-gone"].map((id) => r(id) && r(id).status)}`);
  const got = await r("reply").json();
  check(got.id === reply.id, `batch GET answered ${got.id}`);
}

main().then(
  () => console.log("jsclient: all operations match"),
  (e) => {
    console.error("jsclient: " + (e && e.message ? e.message : e));
    process.exit(1);
  },
);
