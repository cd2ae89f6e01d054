// Freshet dashboard: polls the REST API under /api once a second and renders the job view or the broker view
// (which one is in <body data-view>). Plain DOM, no dependencies. Every value from the server is written with
// textContent or setAttribute, never as HTML: topic names, exception messages and the like are untrusted text.
"use strict";

const POLL_MS = 1000;
const SVG_NS = "http://www.w3.org/2000/svg";
const VERTEX_WIDTH = 250;
const VERTEX_HEIGHT = 132;
const LAYER_GAP = 110;
const ROW_GAP = 36;

const $ = (id) => document.getElementById(id);

function el(tag, attributes, ...children) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG_NS, tag.slice(4)) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body && body.message ? body.message : `${response.status} ${response.statusText}`);
  return body;
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const percent = (ratio) => `${Math.round(ratio * 100)}%`;

function formatBytes(bytes) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes, unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${unit === 0 ? value : decimal.format(value)} ${units[unit]}`;
}

function formatDuration(ms) {
  if (ms === null || ms === undefined) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  let seconds = Math.floor(ms / 1000);
  const days = Math.floor(seconds / 86400); seconds %= 86400;
  const hours = Math.floor(seconds / 3600); seconds %= 3600;
  const minutes = Math.floor(seconds / 60); seconds %= 60;
  if (days > 0) return `${days}d ${hours}h ${minutes}m`;
  if (hours > 0) return `${hours}h ${minutes}m ${seconds}s`;
  if (minutes > 0) return `${minutes}m ${seconds}s`;
  return `${decimal.format(ms / 1000)} s`;
}

// Local time as YYYY-MM-DD HH:MM:SS (the sv-SE locale writes dates in ISO order).
const formatTime = (iso) => (iso ? new Date(iso).toLocaleString("sv-SE") : "–");

// Event time in ms since the epoch, shown in UTC with milliseconds; null means no watermark yet. The end of a bounded
// input is the largest long, past what a Date can hold (±8.64e15 ms).
function formatWatermark(ms) {
  if (ms === null || ms === undefined) return "none";
  if (Math.abs(ms) > 8.64e15) return ms > 0 ? "end of input" : "none";
  return new Date(ms).toISOString().replace("T", " ").slice(0, 23);
}

function setText(id, text) {
  const node = $(id);
  if (node.textContent !== text) node.textContent = text;
}

function setConnection(ok, message) {
  const node = $("connection");
  node.dataset.state = ok ? "live" : "lost";
  node.textContent = ok ? `updated ${new Date().toLocaleTimeString("en-GB", { hour12: false })}` : `disconnected: ${message}`;
}

function poll(refresh) {
  const tick = async () => {
    try {
      await refresh();
      setConnection(true);
    } catch (error) {
      setConnection(false, error.message);
    }
    setTimeout(tick, POLL_MS);
  };
  tick();
}

// ---- Job view ----------------------------------------------------------------------------------------------------

const jobState = { graphDrawn: false, name: "" };

// Layered left-to-right layout: a vertex's layer is the longest path to it from a source; within a layer vertices
// keep their id order.
function layout(graph) {
  const layer = new Map(graph.vertices.map((v) => [v.id, 0]));
  for (let pass = 0; pass < graph.vertices.length; pass++) {
    for (const edge of graph.edges) {
      const next = layer.get(edge.sourceVertexId) + 1;
      if (next > layer.get(edge.targetVertexId)) layer.set(edge.targetVertexId, next);
    }
  }
  const rows = new Map();
  const positions = new Map();
  for (const vertex of [...graph.vertices].sort((a, b) => a.id - b.id)) {
    const l = layer.get(vertex.id);
    const row = rows.get(l) || 0;
    rows.set(l, row + 1);
    positions.set(vertex.id, { x: 20 + l * (VERTEX_WIDTH + LAYER_GAP), y: 20 + row * (VERTEX_HEIGHT + ROW_GAP) });
  }
  const width = 40 + (Math.max(...layer.values(), 0) + 1) * (VERTEX_WIDTH + LAYER_GAP) - LAYER_GAP;
  const height = 40 + Math.max(...rows.values(), 1) * (VERTEX_HEIGHT + ROW_GAP) - ROW_GAP;
  return { positions, width, height };
}

function truncate(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function drawGraph(graph) {
  const { positions, width, height } = layout(graph);
  const svg = el("svg:svg", { id: "job-graph-svg", width, height, viewBox: `0 0 ${width} ${height}` });
  const marker = el("svg:marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: "auto-start-reverse" },
    el("svg:path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#8fa3b8" }));
  svg.append(el("svg:defs", {}, marker));

  for (const edge of graph.edges) {
    const from = positions.get(edge.sourceVertexId), to = positions.get(edge.targetVertexId);
    const x1 = from.x + VERTEX_WIDTH, y1 = from.y + VERTEX_HEIGHT / 2, x2 = to.x, y2 = to.y + VERTEX_HEIGHT / 2;
    const middle = (x1 + x2) / 2;
    svg.append(el("svg:g", { class: "edge", "data-source-vertex-id": edge.sourceVertexId, "data-target-vertex-id": edge.targetVertexId },
      el("svg:path", { d: `M ${x1} ${y1} C ${middle} ${y1}, ${middle} ${y2}, ${x2} ${y2}`, "marker-end": "url(#arrow)" }),
      el("svg:text", { x: middle, y: (y1 + y2) / 2 - 6, "text-anchor": "middle", "data-field": "partitioning" }, edge.partitioning)));
  }

  for (const vertex of graph.vertices) {
    const { x, y } = positions.get(vertex.id);
    const classes = ["vertex", vertex.isSource ? "source" : "", vertex.isSink ? "sink" : ""].join(" ").trim();
    const line = (dy, field, text, cls) => el("svg:text", { x: 12, y: dy, "data-field": field, class: cls }, text);
    const names = vertex.operatorNames.length ? vertex.operatorNames : [vertex.name];
    const title = el("svg:title", {}, names.join(" → "));
    const group = el("svg:g", { class: classes, id: `vertex-${vertex.id}`, "data-vertex-id": vertex.id, transform: `translate(${x}, ${y})` },
      title,
      el("svg:rect", { class: "box", width: VERTEX_WIDTH, height: VERTEX_HEIGHT, rx: 8 }),
      line(20, "operators", truncate(names.join(" → "), 34), "name"),
      line(38, "parallelism", `Parallelism ${vertex.parallelism}`, "muted"),
      line(60, "records-in-rate", "In –"),
      line(78, "records-out-rate", "Out –"),
      line(96, "watermark", "Watermark –", "muted"),
      line(118, "busy", "", "muted"),
      el("svg:g", { class: "badge", "data-field": "backpressure", "data-level": "OK", transform: `translate(${VERTEX_WIDTH - 58}, 105)` },
        el("svg:rect", { width: 48, height: 18 }),
        el("svg:text", { x: 24, y: 13, "text-anchor": "middle" }, "OK")));
    svg.append(group);
  }
  $("job-graph").replaceChildren(svg);
}

function updateVertex(metrics) {
  const group = $(`vertex-${metrics.vertexId}`);
  if (!group) return;
  const field = (name) => group.querySelector(`[data-field="${name}"]`);
  const set = (name, text, value) => {
    const node = field(name);
    if (node.textContent !== text) node.textContent = text;
    if (value !== undefined) node.setAttribute("data-value", String(value));
  };
  set("records-in-rate", `In ${decimal.format(metrics.recordsInPerSecond)}/s · ${integer.format(metrics.recordsIn)} total`, metrics.recordsInPerSecond);
  set("records-out-rate", `Out ${decimal.format(metrics.recordsOutPerSecond)}/s · ${integer.format(metrics.recordsOut)} total`, metrics.recordsOutPerSecond);
  set("watermark", `Watermark ${formatWatermark(metrics.watermark)}`, metrics.watermark ?? "");
  set("busy", `Busy ${percent(metrics.maxBusyRatio)} · Backpressured ${percent(metrics.maxBackpressuredRatio)}`);
  field("records-in-rate").setAttribute("data-total", String(metrics.recordsIn));
  field("records-out-rate").setAttribute("data-total", String(metrics.recordsOut));
  const badge = field("backpressure");
  badge.setAttribute("data-level", metrics.backpressure);
  badge.querySelector("text").textContent = metrics.backpressure;
}

function renderJob(job) {
  jobState.name = job.name;
  setText("title", job.name);
  setText("status", job.status);
  $("status").dataset.status = job.status;
  document.title = `${job.name} · Freshet`;
  setText("job-start-time", formatTime(job.startTime));
  setText("job-uptime", formatDuration(job.uptimeMs));
  setText("job-restarts", String(job.restarts));
  setText("job-restored-from", job.restoredFrom ? `${job.restoredFrom.isSavepoint ? "savepoint" : "checkpoint"} ${job.restoredFrom.checkpointId} (${job.restoredFrom.directory})` : "nothing");
  setText("job-last-restart-cause", job.lastRestartCause || "none");
  const ended = ["Finished", "Failed", "Cancelled", "Cancelling"].includes(job.status);
  $("savepoint-button").disabled = ended;
  $("cancel-button").disabled = ended;
}

function renderCheckpoints(checkpoints) {
  setText("checkpoints-completed", String(checkpoints.counts.completed));
  setText("checkpoints-failed", String(checkpoints.counts.failed));
  setText("checkpoints-in-progress", String(checkpoints.counts.inProgress));
  setText("checkpoints-latest", checkpoints.counts.latestCompletedId === null ? "none" : String(checkpoints.counts.latestCompletedId));
  const rows = checkpoints.history.map((c) => {
    const ms = (value) => el("td", { class: "num" }, formatDuration(value));
    return el("tr", { "data-checkpoint-id": c.checkpointId, "data-outcome": c.outcome, "data-savepoint": c.isSavepoint },
      el("td", { class: "num" }, c.checkpointId),
      el("td", {}, c.isSavepoint ? "savepoint" : "checkpoint"),
      el("td", {}, c.outcome),
      el("td", {}, formatTime(c.triggeredAt)),
      ms(c.durationMs),
      el("td", { class: "num" }, formatBytes(c.stateBytes)),
      ms(c.alignmentMs), ms(c.syncPhaseMs), ms(c.asyncPhaseMs),
      el("td", {}, c.failureReason || ""));
  });
  $("checkpoints-table").tBodies[0].replaceChildren(...rows);
}

function renderExceptions(exceptions) {
  const items = exceptions.exceptions.map((e, index) => {
    const open = $("exceptions-list").querySelector(`li[data-timestamp="${CSS.escape(e.timestamp)}"] details[open]`) !== null;
    const details = el("details", {}, el("summary", {}, "Details"), el("pre", {}, e.details));
    if (open) details.open = true;
    return el("li", { class: "exception", "data-index": index, "data-timestamp": e.timestamp, "data-exception-type": e.exceptionType, "data-restarted": e.restarted },
      el("div", { class: "meta" }, `${formatTime(e.timestamp)} · ${e.taskName || "job"} · ${e.restarted ? "job restarted" : "job failed"}`),
      el("div", {}, el("span", { class: "type" }, e.exceptionType), ": ", el("span", { class: "message" }, e.message)),
      details);
  });
  $("exceptions-list").replaceChildren(...items);
  $("exceptions-empty").hidden = items.length > 0;
}

async function refreshJob() {
  if (!jobState.graphDrawn) {
    drawGraph(await api("/api/job/graph"));
    jobState.graphDrawn = true;
  }
  const [job, metrics, checkpoints, exceptions] = await Promise.all([
    api("/api/job"), api("/api/job/metrics"), api("/api/job/checkpoints"), api("/api/job/exceptions"),
  ]);
  renderJob(job);
  metrics.vertices.forEach(updateVertex);
  renderCheckpoints(checkpoints);
  renderExceptions(exceptions);
}

function showResult(text, outcome) {
  const node = $("action-result");
  node.textContent = text;
  node.dataset.outcome = outcome;
}

function startJobView() {
  $("job-view").hidden = false;
  $("savepoint-button").addEventListener("click", async () => {
    const directory = window.prompt("Directory for the savepoint, on the job's machine (it must not exist or be empty):");
    if (!directory) return;
    showResult("Taking a savepoint…", "pending");
    try {
      const result = await api("/api/job/savepoints", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ directory }) });
      showResult(`Savepoint written to ${result.path}`, "ok");
    } catch (error) {
      showResult(`Savepoint failed: ${error.message}`, "error");
    }
  });
  $("cancel-button").addEventListener("click", async () => {
    if (!window.confirm(`Cancel the job "${jobState.name}"? It stops without a savepoint.`)) return;
    showResult("Cancelling…", "pending");
    try {
      const result = await api("/api/job/cancel", { method: "POST" });
      showResult(`Job ${result.status.toLowerCase()}.`, "ok");
    } catch (error) {
      showResult(`Cancel failed: ${error.message}`, "error");
    }
  });
  poll(refreshJob);
}

// ---- Broker view -------------------------------------------------------------------------------------------------

function renderBroker(broker) {
  setText("title", `Broker ${broker.nodeId}`);
  setText("status", "Running");
  $("status").dataset.status = "Running";
  setText("broker-cluster-id", broker.clusterId);
  setText("broker-node-id", String(broker.nodeId));
  setText("broker-listener", broker.listener);
  setText("broker-uptime", formatDuration(broker.uptimeMs));
}

function renderTopics(topics) {
  const rows = [];
  for (const topic of topics.topics) {
    topic.partitions.forEach((p, index) => {
      const num = (value) => el("td", { class: "num" }, integer.format(value));
      const name = index === 0 ? [el("td", { rowspan: topic.partitions.length, class: "topic-name" }, topic.name + (topic.isInternal ? " (internal)" : ""))] : [];
      rows.push(el("tr", { "data-topic": topic.name, "data-partition": p.partition },
        ...name,
        num(p.partition), num(p.logStartOffset), num(p.logEndOffset), num(p.lastStableOffset),
        num(p.logEndOffset - p.logStartOffset),
        el("td", { class: "num" }, formatBytes(p.sizeBytes)),
        num(p.segmentCount)));
    });
  }
  $("topics-table").tBodies[0].replaceChildren(...rows);
}

function table(headers, rows) {
  return el("table", {}, el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", {}, h)))), el("tbody", {}, ...rows));
}

function renderGroups(groups) {
  const cards = groups.groups.map((g) => {
    const totalLag = g.offsets.reduce((sum, o) => sum + o.lag, 0);
    const members = g.members.map((m) => el("tr", { "data-member-id": m.memberId },
      el("td", {}, m.memberId), el("td", {}, m.clientId), el("td", {}, m.clientHost),
      el("td", {}, m.assignment.map((a) => `${a.topic}-${a.partition}`).join(", "))));
    const offsets = g.offsets.map((o) => el("tr", { "data-topic": o.topic, "data-partition": o.partition, "data-lag": o.lag },
      el("td", {}, o.topic), el("td", { class: "num" }, o.partition), el("td", { class: "num" }, integer.format(o.committedOffset)),
      el("td", { class: "num" }, integer.format(o.logEndOffset)), el("td", { class: "num" }, integer.format(o.lag))));
    return el("div", { class: "group", "data-group-id": g.groupId, "data-state": g.state },
      el("h3", {}, g.groupId),
      el("div", { class: "meta" }, `${g.state} · ${g.protocolType || "no protocol type"}${g.protocol ? ` (${g.protocol})` : ""} · ${g.members.length} member(s) · total lag `, el("span", { "data-field": "total-lag" }, integer.format(totalLag))),
      members.length ? table(["Member", "Client id", "Host", "Assignment"], members) : "",
      offsets.length ? table(["Topic", "Partition", "Committed", "Log end", "Lag"], offsets) : "");
  });
  $("groups").replaceChildren(...cards);
  $("groups-empty").hidden = cards.length > 0;
}

function renderTransactions(transactions) {
  const rows = transactions.transactions.map((t) => el("tr", { "data-transactional-id": t.transactionalId, "data-state": t.state },
    el("td", {}, t.transactionalId), el("td", { class: "num" }, t.producerId), el("td", { class: "num" }, t.producerEpoch),
    el("td", {}, t.state), el("td", {}, formatTime(t.startedAt)),
    el("td", {}, t.partitions.map((p) => `${p.topic}-${p.partition}`).join(", "))));
  $("transactions-table").tBodies[0].replaceChildren(...rows);
}

async function refreshBroker() {
  const [broker, topics, groups, transactions] = await Promise.all([
    api("/api/broker"), api("/api/topics"), api("/api/groups"), api("/api/transactions"),
  ]);
  renderBroker(broker);
  renderTopics(topics);
  renderGroups(groups);
  renderTransactions(transactions);
}

function startBrokerView() {
  $("broker-view").hidden = false;
  poll(refreshBroker);
}

if (document.body.dataset.view === "broker") startBrokerView(); else startJobView();
