"use strict";
// The page over the API: runs, a run's attempts side by side with live progress, and the evals' reports.
// A token (servers bound off loopback need one) is read once from the address, as #token=..., and kept for the tab.

const main = document.getElementById("main");
const problem = document.getElementById("problem");
let stream = null; // the AbortController of the event stream being read

function token() {
  const found = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (found) {
    sessionStorage.setItem("untilgreen-token", decodeURIComponent(found[1]));
    history.replaceState(null, "", location.pathname + "#runs");
  }
  return sessionStorage.getItem("untilgreen-token") || "";
}

function headers() {
  const t = token();
  return t ? { Authorization: "Bearer " + t } : {};
}

async function api(path) {
  const answer = await fetch(path, { headers: headers() });
  const type = answer.headers.get("content-type") || "";
  const body = type.startsWith("application/json") ? await answer.json() : await answer.text();
  if (!answer.ok) throw new Error(body.error || String(answer.status));
  return body;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children) node.append(child === null || child === undefined ? "" : child);
  return node;
}

function money(value) {
  return value === null || value === undefined ? "-" : "$" + Number(value).toFixed(4);
}

function show(...nodes) {
  problem.hidden = true;
  main.replaceChildren(...nodes);
}

function fail(err) {
  problem.textContent = "untilgreen: " + err.message;
  problem.hidden = false;
}

async function runsView() {
  const { runs } = await api("/runs");
  const rows = runs.map((run) =>
    el(
      "tr",
      {},
      el("td", {}, el("a", { href: "#run/" + run.id }, run.id)),
      el("td", {}, run.project),
      el("td", { class: run.status }, run.status),
      el("td", {}, run.stop_reason || ""),
      el("td", { class: "num" }, String(run.attempts === null ? "-" : run.attempts)),
      el("td", { class: "num" }, String(run.tokens === null ? "-" : run.tokens)),
      el("td", { class: "num" }, money(run.cost_usd)),
    ),
  );
  const head = el("tr", {}, ...["run", "project", "status", "stop reason", "attempts", "tokens", "cost"].map((h) => el("th", {}, h)));
  show(el("h2", {}, "Runs"), runs.length ? el("table", { id: "runs" }, head, ...rows) : el("p", {}, "No runs yet: POST /runs starts one."));
}

// A unified diff as two columns: the old side on the left, the new side on the right, file by file.
function sideBySide(diff) {
  const grid = el("div", { class: "diff" });
  let dels = [];
  let adds = [];
  const flush = () => {
    for (let i = 0; i < Math.max(dels.length, adds.length); i++) {
      grid.append(el("div", { class: i < dels.length ? "del" : "" }, dels[i] || ""), el("div", { class: i < adds.length ? "add" : "" }, adds[i] || ""));
    }
    dels = [];
    adds = [];
  };
  for (const line of (diff || "").split("\n")) {
    if (line.startsWith("+++ ") || /^(diff --git|index |new file|deleted file|similarity|rename )/.test(line)) continue;
    if (line.startsWith("--- ")) {
      flush();
      grid.append(el("div", { class: "file" }, line.slice(4).replace(/^a\//, "")));
    } else if (line.startsWith("@@")) {
      flush();
      grid.append(el("div", { class: "hunk" }, line), el("div", { class: "hunk" }, line));
    } else if (line.startsWith("-")) dels.push(line.slice(1));
    else if (line.startsWith("+")) adds.push(line.slice(1));
    else if (line.length) {
      flush();
      grid.append(el("div", {}, line.slice(1)), el("div", {}, line.slice(1)));
    }
  }
  flush();
  return grid;
}

function attempt(a) {
  const title = `attempt ${a.number}/${a.of || "?"}${a.candidate ? " candidate " + (a.candidate + 1) : ""} (${a.source}): ${a.outcome}`;
  return el("details", { class: "attempt" }, el("summary", {}, title), el("p", {}, a.detail || ""), sideBySide(a.diff));
}

function runBody(run) {
  const facts = `${run.status}${run.stop_reason ? " (" + run.stop_reason + ")" : ""} · ${run.attempts === null ? run.attempt_log.length : run.attempts} attempt(s) · ${run.tokens === null ? 0 : run.tokens} tokens · ${money(run.cost_usd)}`;
  const nodes = [el("h2", {}, `Run ${run.id} in ${run.project}`), el("p", { id: "facts", class: run.status }, facts), el("p", {}, run.message || "")];
  if (run.diff) nodes.push(el("h2", {}, "The fix (not applied)"), sideBySide(run.diff));
  nodes.push(el("h2", {}, "Attempts"), el("div", { id: "attempts" }, ...run.attempt_log.map(attempt)));
  return nodes;
}

async function runView(id) {
  const run = await api("/runs/" + encodeURIComponent(id));
  const progress = el("p", { id: "progress", class: "progress" }, run.status === "running" || run.status === "queued" ? "waiting for events…" : "");
  progress.hidden = !progress.textContent;
  show(progress, ...runBody(run));
  if (!progress.hidden) follow(id, run.event_count, progress);
}

// The run's server-sent events after the `seen` ones the page shows already, read with fetch so that the token
// goes in a header.
async function follow(id, seen, progress) {
  stream = new AbortController();
  const resume = { ...headers(), "Last-Event-ID": String(seen) };
  const answer = await fetch(`/runs/${encodeURIComponent(id)}/events`, { headers: resume, signal: stream.signal });
  const reader = answer.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
      if (data) onEvent(JSON.parse(data), progress);
    }
  }
  if (location.hash === "#run/" + id) await runView(id);
}

function onEvent(event, progress) {
  const where = event.attempt ? `attempt ${event.attempt}${event.of ? "/" + event.of : ""}: ` : "";
  if (event.event === "phase") progress.textContent = where + event.phase;
  else if (event.event === "model_progress") progress.textContent = `${where}model writing… ${event.tokens} tokens`;
  else if (event.event === "notice") progress.textContent = event.message;
  else if (event.event === "attempt_validated") {
    progress.textContent = `${where}${event.outcome}`;
    document.getElementById("attempts").append(attempt({ number: event.attempt, of: 0, ...event }));
  } else if (event.event === "run_finished" || event.event === "run_failed") progress.textContent = event.message;
}

async function evalsView() {
  const { evals } = await api("/evals");
  const rows = evals.map((e) =>
    el(
      "tr",
      {},
      el("td", {}, e.report ? el("a", { href: "#eval/" + e.id }, e.id) : e.id),
      el("td", {}, e.project),
      el("td", { class: e.status }, e.status),
      el("td", { class: "num" }, e.summary ? String(e.summary["pass@1"]) : "-"),
      el("td", {}, e.message || ""),
    ),
  );
  const head = el("tr", {}, ...["eval", "corpus", "status", "pass@1", ""].map((h) => el("th", {}, h)));
  show(el("h2", {}, "Evals"), evals.length ? el("table", { id: "evals" }, head, ...rows) : el("p", {}, "No evals yet: POST /evals starts one."));
}

async function evalView(id) {
  const html = await api(`/evals/${encodeURIComponent(id)}/report`);
  const frame = el("iframe", { id: "report", title: "eval report", sandbox: "" });
  frame.srcdoc = html;
  show(el("h2", {}, "Eval " + id), frame);
}

async function route() {
  if (stream) stream.abort();
  stream = null;
  const [view, id] = location.hash.slice(1).split("/");
  try {
    if (view === "run" && id) await runView(decodeURIComponent(id));
    else if (view === "evals") await evalsView();
    else if (view === "eval" && id) await evalView(decodeURIComponent(id));
    else await runsView();
  } catch (err) {
    if (err.name !== "AbortError") fail(err);
  }
}

window.addEventListener("hashchange", route);
route();
