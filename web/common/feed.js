// The live event feed (`/api/v1/events`): a snapshot, then every event in order.
//
// The feed reconnects by itself with `?since=` the last sequence number it has, so a short
// outage costs only the missed events; the server answers with a fresh snapshot when it cannot
// replay. A gap is never accepted silently: an event that does not follow the last one makes
// the feed reconnect for a snapshot.
//
// Without a token it is the public feed: tickets carry their number, never their id or priority
// flag. With the token of a clerk, manager or admin (the counter page) it is the staff feed, with
// whole tickets; the server closes it when that token is revoked.

export class Feed {
  /**
   * @param {{onSnapshot: (status: object) => void, onEvent: (event: object) => void,
   *          onConnection?: (up: boolean) => void, token?: string|null}} handlers
   */
  constructor(handlers) {
    this.handlers = handlers;
    this.token = handlers.token || null;
    this.seq = null;
    this.socket = null;
    this.retryMs = 500;
    // null until the first attempt ends, so a feed that never connects reports "down" too.
    this.up = null;
    this.stopped = false;
    this.watchdog = null;
  }

  /** Starts (or restarts) the connection. */
  start() {
    this.stopped = false;
    this.connect();
    return this;
  }

  /** Closes the connection for good. */
  stop() {
    this.stopped = true;
    clearTimeout(this.watchdog);
    if (this.socket) this.socket.close();
  }

  /** Switches to the feed of another token (null: the public feed), reconnecting if it changed. */
  setToken(token) {
    const next = token || null;
    if (next === this.token) return;
    this.token = next;
    // A snapshot of the new audience rather than a replay in the old one.
    this.seq = null;
    if (this.socket) this.socket.close();
  }

  setUp(up) {
    if (this.up !== up) {
      this.up = up;
      if (this.handlers.onConnection) this.handlers.onConnection(up);
    }
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const query = new URLSearchParams();
    if (this.token) query.set("token", this.token);
    if (this.seq !== null) query.set("since", String(this.seq));
    const search = query.toString() ? `?${query}` : "";
    const socket = new WebSocket(`${scheme}//${location.host}/api/v1/events${search}`);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 500;
      this.setUp(true);
      this.armWatchdog();
    };
    socket.onmessage = (message) => {
      this.armWatchdog();
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      if (data.type === "snapshot") {
        this.seq = data.seq;
        this.handlers.onSnapshot(data.status);
      } else if (this.seq !== null && data.seq === this.seq + 1) {
        this.seq = data.seq;
        this.handlers.onEvent(data);
      } else if (this.seq === null || data.seq > this.seq + 1) {
        // Never skip silently: ask for a snapshot.
        this.seq = null;
        socket.close();
      }
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.setUp(false);
      clearTimeout(this.watchdog);
      if (this.stopped) return;
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10000);
    };
    socket.onerror = () => socket.close();
  }

  // The server pings every 20 s, but browsers do not show pings to scripts; a connection that
  // has been quiet for long may be half-open. The status poll of the pages keeps the line
  // moving; here a long silence only triggers a reconnect with `since`, which costs nothing.
  armWatchdog() {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      if (this.socket) this.socket.close();
    }, 120000);
  }
}
