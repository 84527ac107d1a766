/**
 * The live socket of a SayPro page, shared by every module that needs it (a plain ES
 * module, no build step; modules are singletons per URL, so `sharedLive()` opens one
 * socket per page however many modules import it).
 *
 * Contracts:
 * - One WebSocket at `/ws/?after=<last event id>`; the server replays every later
 *   event, then live ones, each person's in order. On a drop it reconnects with
 *   exponential backoff and jitter, resuming from the last event it handled.
 * - A frame is handed to the subscribers once (skipped by event id).
 * - A heartbeat pings every 25 s; no pong for a whole beat closes and reconnects.
 */

const HEARTBEAT_MS = 25_000;

/** Exponential backoff with "equal jitter": half the step fixed, half random. */
export function backoff(attempt, { base = 500, cap = 15_000 } = {}) {
  const step = Math.min(cap, base * 2 ** attempt);
  return step / 2 + Math.random() * (step / 2);
}

/**
 * The person's event stream, shared by every module on the page. Each subscriber's
 * `onEvent(frame)` gets each new frame once, in order; `onState(state)` hears "open",
 * "reconnecting" or "stopped" (logged out); `onBeat()` runs with every heartbeat.
 */
export class LiveEvents {
  constructor({ lastEventId = 0 } = {}) {
    this.lastEventId = lastEventId;
    this.subscribers = [];
    this.socket = null;
    this.attempt = 0;
    this.retryTimer = null;
    this.heartbeat = null;
    this.awaitingPong = false;
    this.paused = false;
    this.stopped = false;
  }

  /** Add a listener: `{ onEvent, onState, onBeat }` (each optional). */
  subscribe(subscriber) {
    this.subscribers.push(subscriber);
    if (this.socket && this.socket.readyState === WebSocket.OPEN && subscriber.onState) subscriber.onState("open");
  }

  onState(state) {
    for (const subscriber of this.subscribers) if (subscriber.onState) subscriber.onState(state);
  }

  onEvent(frame) {
    for (const subscriber of this.subscribers) {
      if (!subscriber.onEvent) continue;
      try {
        subscriber.onEvent(frame);
      } catch (error) {
        console.error("Could not apply event", frame, error);
      }
    }
  }

  /** Send a frame to the server when the socket is open; false otherwise. */
  send(frame) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  url() {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    return `${scheme}://${window.location.host}/ws/?after=${this.lastEventId}`;
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.socket || this.paused || this.stopped) return;
    const socket = new WebSocket(this.url());
    this.socket = socket;
    socket.addEventListener("open", () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.startHeartbeat();
      this.onState("open");
    });
    socket.addEventListener("message", (event) => {
      if (this.socket === socket) this.receive(event.data);
    });
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopHeartbeat();
      if (event.code === 4401) {
        this.stopped = true;
        this.onState("stopped");
        return;
      }
      this.scheduleReconnect();
    });
  }

  receive(raw) {
    let frame;
    try {
      frame = JSON.parse(raw);
    } catch {
      return;
    }
    if (frame.type === "pong") {
      this.awaitingPong = false;
      return;
    }
    if (typeof frame.id !== "number" || frame.id <= this.lastEventId) return; // seen already
    this.lastEventId = frame.id;
    this.onEvent(frame);
  }

  scheduleReconnect() {
    this.onState("reconnecting");
    if (this.paused || this.stopped) return;
    const delay = backoff(this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** Try at once (the browser is back online or the tab became visible). */
  reconnectNow() {
    if (!this.socket && !this.paused && !this.stopped) {
      this.attempt = 0;
      this.connect();
    }
  }

  startHeartbeat() {
    this.stopHeartbeat();
    this.awaitingPong = false;
    this.heartbeat = setInterval(() => {
      if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return;
      if (this.awaitingPong) {
        this.socket.close(); // no pong for a whole beat: the connection is dead
        return;
      }
      this.awaitingPong = true;
      this.socket.send(JSON.stringify({ type: "ping" }));
      for (const subscriber of this.subscribers) if (subscriber.onBeat) subscriber.onBeat();
    }, HEARTBEAT_MS);
  }

  stopHeartbeat() {
    clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  // Test and debugging hooks (window.sayproMessaging): a dropped network, a held reconnect.
  drop() {
    if (this.socket) this.socket.close();
  }

  pause() {
    this.paused = true;
    clearTimeout(this.retryTimer);
    if (this.socket) this.socket.close();
    else this.onState("reconnecting");
  }

  resume() {
    this.paused = false;
    this.connect();
  }
}

let shared = null;

/** The page's one LiveEvents; the first caller's `lastEventId` is where it starts. */
export function sharedLive({ lastEventId = 0 } = {}) {
  if (!shared) shared = new LiveEvents({ lastEventId });
  return shared;
}
