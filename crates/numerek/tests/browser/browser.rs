//! Browser tests: headless Chromium, driven through chromedriver (WebDriver, via fantoccini),
//! against the real `numerek` binary on 127.0.0.1.
//!
//! A test file declares `mod support; mod browser;`, starts a server with [`start_office`], a
//! [`Chromedriver`] and a [`Browser`] per viewport, and uses the helpers below. Every helper
//! panics with a readable message instead of returning errors, and every wait is bounded
//! ([`WAIT`]), so a broken page fails in seconds with the page's text in the message.
//!
//! Printing: [`Browser::emulate_print`] lays a page out as printed on paper of a given width
//! (through chromedriver's DevTools passthrough, [`Browser::cdp`]), [`Browser::print_pdf`] prints
//! it with the WebDriver Print command, and [`pdf_pages`] reads the pages of the PDF. A page's
//! own `window.print()` never reaches Chromium: every browser gets the [`TEST_PRINTER`] in its
//! place, which prints nothing and keeps each print in progress until the test ends it
//! ([`Browser::printer`], [`Browser::finish_print`]). How Chromium's own printing behaves
//! without a printer differs from build to build (156 keeps headless prints in progress forever,
//! so a WebDriver print then fails with "Page is already being printed"), and a print that ends
//! by itself would start the kiosk's countdown at a moment the test does not choose.
//!
//! Chromium and chromedriver come from Debian (`chromium`, `chromium-driver`), axe-core from npm;
//! `./scripts/test.sh` installs all three and exports `NUMEREK_AXE_JS`.

#![allow(dead_code)]

use crate::support::{Server, write_config};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::future::Future;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tempfile::TempDir;

#[allow(unused_imports)]
pub use fantoccini::key::Key;

/// Chromium's launcher (Debian package `chromium`); its presence is what the tests check.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// The browser binary itself, behind the launcher. Started directly, so the launcher's
/// `/etc/chromium.d` settings (Google API keys, extension loading) stay out of the tests.
const CHROMIUM_BINARY: &str = "/usr/lib/chromium/chromium";
/// Debian package `chromium-driver`.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long `wait_for*` waits for a page to get there.
pub const WAIT: Duration = Duration::from_secs(10);
/// The most any single WebDriver command may take: a hang guard (chromedriver answers in
/// milliseconds; a page load or an axe-core audit takes a second or two on a busy machine),
/// above the page load and script limits given to Chromium ([`PAGE_LOAD_LIMIT`]).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(90);
/// How long Chromium may take to load a page or run a script (axe-core runs as one): hang
/// guards, far above what either takes.
const PAGE_LOAD_LIMIT: Duration = Duration::from_secs(60);

/// How long chromedriver may take to start: a hang guard (it takes a fraction of a second).
const DRIVER_START_LIMIT: Duration = Duration::from_secs(30);

/// Flags for every Chromium the tests start (besides `--window-size` and a fresh
/// `--user-data-dir`). The network ones keep it from calling Google's hosts: the only network
/// target of a test is 127.0.0.1.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    // The lobby display plays its chime without a click.
    "--autoplay-policy=no-user-gesture-required",
    // One CSS pixel is one screenshot pixel, whatever the machine.
    "--force-device-scale-factor=1",
];

/// Put in the place of `window.print` in every page before the page's own scripts run: a
/// printer that prints nothing. Like a browser, it announces a print with `beforeprint` and
/// ignores `window.print()` while a print is in progress; unlike Chromium with
/// `--kiosk-printing`, it keeps every print in progress until the test ends it with
/// `numerekTestPrinter.finish()` (which fires `afterprint`). `numerekTestPrinter` counts the
/// calls and keeps, for each print begun, the page's screen (`body[data-screen]`) and visible
/// text at that moment.
pub const TEST_PRINTER: &str = r#"
(() => {
  const printer = { calls: 0, inProgress: false, printed: [] };
  printer.finish = () => {
    if (!printer.inProgress) return false;
    printer.inProgress = false;
    dispatchEvent(new Event("afterprint"));
    return true;
  };
  Object.defineProperty(window, "numerekTestPrinter", { value: printer });
  window.print = () => {
    printer.calls += 1;
    if (printer.inProgress) return;
    printer.inProgress = true;
    printer.printed.push({
      screen: document.body ? document.body.dataset.screen ?? null : null,
      text: document.body ? document.body.innerText : "",
    });
    dispatchEvent(new Event("beforeprint"));
  };
})();
"#;

/// The pinned axe-core is looked for here when `NUMEREK_AXE_JS` is not set.
const AXE_DEFAULT: &str = "target/web-test/node_modules/axe-core/axe.min.js";

/// The repository's root directory (relative paths of the helpers are resolved against it).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Where the browser tests save their screenshots: `screenshots/` in cargo's directory for
/// integration tests' files (`target/tmp/screenshots`, below `CARGO_TARGET_DIR` when that is
/// set). A test run writes no tracked file; `scripts/screenshots.sh` runs the browser tests and
/// copies these pictures into `docs/screenshots/`, where the README shows them.
pub fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots")
}

/// The path of the screenshot `name` (a file name such as `"kiosk.png"`) in [`screenshot_dir`],
/// which is created if needed.
pub fn screenshot_path(name: &str) -> PathBuf {
    assert!(
        name.ends_with(".png") && !name.contains('/'),
        "a screenshot is named like \"kiosk.png\", not {name:?}"
    );
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("create the screenshot directory {}: {e}", dir.display()));
    dir.join(name)
}

// ---------------------------------------------------------------------------------------------
// The server

/// A numerek server with the always-open test office on a fresh data directory.
pub struct Office {
    /// The running binary (`server.base`, `server.tokens`; `kill()`/`terminate()` it at will).
    pub server: Server,
    /// Holds `office.toml` and `data/`; removed when the office is dropped.
    pub dir: TempDir,
}

/// Starts `numerek serve` with `ALWAYS_OPEN_OFFICE` on 127.0.0.1 and a free port.
pub fn start_office() -> Office {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path());
    let server = Server::start(&config, &dir.path().join("data"));
    Office { server, dir }
}

/// Starts `numerek serve` with the office file `toml` on 127.0.0.1 and a free port.
pub fn start_office_with(toml: &str) -> Office {
    start_office_at(toml, None)
}

/// As [`start_office_with`], on a clock that stands at `now` (RFC 3339) when the server starts
/// and then runs at the pace of real time: the office's hours meet the same instant whatever the
/// day and hour the test runs at.
pub fn start_office_at(toml: &str, now: Option<&str>) -> Office {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("office.toml");
    std::fs::write(&config, toml).expect("write config");
    let clock = match now {
        Some(now) => vec!["--sim-clock-start", now, "--sim-clock-speed", "1"],
        None => Vec::new(),
    };
    let server = Server::start_with_args(&config, &dir.path().join("data"), &clock);
    Office { server, dir }
}

impl Office {
    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base)
    }

    /// The first-start token of `role` (`kiosk`, `clerk`, `manager`, `admin`).
    pub fn token(&self, role: &str) -> &str {
        self.server
            .tokens
            .get(role)
            .unwrap_or_else(|| panic!("no first-start token for role {role:?}"))
    }
}

// ---------------------------------------------------------------------------------------------
// chromedriver

/// How many times a test starts chromedriver before it gives up. On a busy machine chromedriver
/// sometimes exits at once with "bind() failed: Address already in use" (the port it picked was
/// taken before it bound it); started again, it picks another.
const DRIVER_START_ATTEMPTS: u32 = 3;

/// Why chromedriver did not start.
enum DriverStart {
    /// It exited before reporting its port (it printed why on stderr).
    Exited,
    /// It reported no port within [`DRIVER_START_LIMIT`], or one that is no port.
    Silent,
}

/// Starts chromedriver with `--port=0` (it picks a free port, accepts local connections only
/// and prints the port): the process and its port.
fn spawn_chromedriver() -> Result<(Child, u16), DriverStart> {
    let mut child = Command::new(CHROMEDRIVER)
        .args(["--port=0", "--log-level=SEVERE"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        // Its own process group, so dropping it can end any browser it leaves behind.
        .process_group(0)
        .spawn()
        .expect("start chromedriver");
    let stdout = child.stdout.take().expect("stdout");
    let (port_tx, port_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            // "ChromeDriver was started successfully on port 40507."
            if let Some(port) = line.strip_prefix("ChromeDriver was started successfully on port ")
            {
                let _ = port_tx.send(port.trim_end_matches('.').parse::<u16>().ok());
            }
        }
    });
    let reported = port_rx.recv_timeout(DRIVER_START_LIMIT);
    if let Ok(Some(port)) = reported {
        return Ok((child, port));
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(match reported {
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => DriverStart::Exited,
        _ => DriverStart::Silent,
    })
}

/// A chromedriver process on 127.0.0.1; shut down (with its browsers) when dropped.
pub struct Chromedriver {
    child: Child,
    port: u16,
    /// The browsers' profile directories, removed after the browsers are gone.
    profiles: Mutex<Vec<TempDir>>,
}

impl Chromedriver {
    /// Starts chromedriver on a free loopback port (again if it exits first, at most
    /// [`DRIVER_START_ATTEMPTS`] times) and waits (at most [`DRIVER_START_LIMIT`]) until it is
    /// ready.
    /// Panics, saying how to install them, when Chromium or chromedriver is missing.
    pub fn start() -> Chromedriver {
        for (path, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
            assert!(
                Path::new(path).exists(),
                "browser tests need {path} (Debian package {package}): run ./scripts/test.sh, \
                 which installs it (or: apt-get install -y chromium chromium-driver)"
            );
        }
        let mut attempt = 1;
        let (child, port) = loop {
            match spawn_chromedriver() {
                Ok(started) => break started,
                Err(DriverStart::Exited) if attempt < DRIVER_START_ATTEMPTS => attempt += 1,
                Err(DriverStart::Exited) => panic!(
                    "chromedriver exited before reporting its port, {DRIVER_START_ATTEMPTS} times"
                ),
                Err(DriverStart::Silent) => {
                    panic!("chromedriver did not report its port within {DRIVER_START_LIMIT:?}")
                }
            }
        };
        let driver = Chromedriver {
            child,
            port,
            profiles: Mutex::new(Vec::new()),
        };
        let deadline = Instant::now() + DRIVER_START_LIMIT;
        while !driver
            .http_get("/status")
            .is_some_and(|body| body.contains(r#""ready":true"#))
        {
            assert!(
                Instant::now() < deadline,
                "chromedriver on port {port} was not ready within {DRIVER_START_LIMIT:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A bare HTTP GET to chromedriver (for `/status` and `/shutdown`); the body, if any.
    fn http_get(&self, path: &str) -> Option<String> {
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
        let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        // chromedriver keeps the connection open: read as far as Content-Length says.
        let mut answer = Vec::new();
        let mut chunk = [0; 4096];
        loop {
            let read = stream.read(&mut chunk).ok()?;
            answer.extend_from_slice(&chunk[..read]);
            let text = String::from_utf8_lossy(&answer);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head.lines().find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                });
                if read == 0 || length.is_some_and(|length| body.len() >= length) {
                    return Some(body.to_owned());
                }
            }
            if read == 0 {
                return None;
            }
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // /shutdown ends every session (and so every browser), then chromedriver exits.
        let _ = self.http_get("/shutdown");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && matches!(self.child.try_wait(), Ok(None)) {
            std::thread::sleep(Duration::from_millis(20));
        }
        // Whatever is left of its process group goes too.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// The browser

/// One headless Chromium window whose viewport is exactly `width`×`height` CSS pixels.
pub struct Browser {
    client: Client,
    /// chromedriver's URL, for its non-W3C endpoints.
    driver: String,
    width: u32,
    height: u32,
}

/// Bounds a WebDriver command in time and turns its error into a panic naming `what`.
async fn bounded<T, E: std::fmt::Display>(
    what: &str,
    command: impl Future<Output = Result<T, E>>,
) -> T {
    match tokio::time::timeout(COMMAND_TIMEOUT, command).await {
        Ok(Ok(value)) => value,
        Ok(Err(error)) => panic!("{what}: {error}"),
        Err(_) => panic!("{what}: no answer from chromedriver within {COMMAND_TIMEOUT:?}"),
    }
}

impl Browser {
    /// Starts a browser with [`CHROMIUM_FLAGS`] and a fresh profile, its viewport (the page's
    /// `innerWidth`×`innerHeight`, and the screenshots) `width`×`height`.
    pub async fn open(driver: &Chromedriver, width: u32, height: u32) -> Browser {
        let profile = tempfile::tempdir().expect("profile tempdir");
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|&flag| flag.to_owned()).collect();
        args.push(format!("--window-size={width},{height}"));
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let binary = if Path::new(CHROMIUM_BINARY).exists() {
            CHROMIUM_BINARY
        } else {
            CHROMIUM
        };
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": binary, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"},
            "timeouts": {
                "implicit": 0,
                "pageLoad": PAGE_LOAD_LIMIT.as_millis() as u64,
                "script": PAGE_LOAD_LIMIT.as_millis() as u64,
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        driver.profiles.lock().expect("profiles").push(profile);
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = bounded(
            "start Chromium through chromedriver",
            ClientBuilder::new(connector)
                .capabilities(capabilities)
                .connect(&driver.url()),
        )
        .await;
        let browser = Browser {
            client,
            driver: driver.url(),
            width,
            height,
        };
        // Every page this browser opens from now on prints on the test printer.
        browser
            .cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({"source": TEST_PRINTER}),
            )
            .await;
        // Even with --headless=new the window is larger than the viewport (Chromium 156 gives
        // 1280×657 for --window-size=1280,800) and --window-size has a minimum width (500):
        // resize the window by the difference until the viewport fits.
        for _ in 0..3 {
            let (inner_width, inner_height) = browser.viewport().await;
            if (inner_width, inner_height) == (width, height) {
                return browser;
            }
            let (outer_width, outer_height) =
                bounded("read the window size", browser.client.get_window_size()).await;
            let resize = |outer: u64, inner: u32, wanted: u32| {
                (outer + u64::from(wanted)).saturating_sub(u64::from(inner)) as u32
            };
            bounded(
                "resize the window",
                browser.client.set_window_size(
                    resize(outer_width, inner_width, width),
                    resize(outer_height, inner_height, height),
                ),
            )
            .await;
        }
        let viewport = browser.viewport().await;
        assert_eq!(
            viewport,
            (width, height),
            "could not get a {width}×{height} viewport"
        );
        browser
    }

    /// The page's `innerWidth` and `innerHeight`.
    pub async fn viewport(&self) -> (u32, u32) {
        let size = self
            .js("return [window.innerWidth, window.innerHeight]")
            .await;
        let dimension = |i: usize| size[i].as_u64().expect("viewport size") as u32;
        (dimension(0), dimension(1))
    }

    /// The underlying fantoccini client, for anything the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Opens `url` and waits for its `load` event.
    pub async fn goto(&self, url: &str) {
        bounded(&format!("open {url}"), self.client.goto(url)).await;
    }

    /// Runs `script` as the body of a function in the page and answers what it returns
    /// (`return document.title`). WebDriver scripts are not subject to the page's CSP.
    pub async fn js(&self, script: &str) -> Value {
        bounded("run a script", self.client.execute(script, Vec::new())).await
    }

    /// The page's URL and visible text, for failure messages.
    async fn describe_page(&self) -> String {
        let page = self
            .client
            .execute(
                "return [location.href, document.body ? document.body.innerText : ''];",
                Vec::new(),
            )
            .await
            .unwrap_or_default();
        let text: String = page[1].as_str().unwrap_or("").chars().take(2000).collect();
        format!("page {}, its text:\n{text}", page[0])
    }

    /// Polls `find` every 50 ms until it answers or [`WAIT`] passes, then panics with `what`
    /// and the page's text.
    async fn poll<T, F>(&self, what: impl Fn() -> String, find: impl FnMut() -> F) -> T
    where
        F: Future<Output = Option<T>>,
    {
        self.poll_within(WAIT, what, find).await
    }

    /// [`Browser::poll`] for at most `limit`.
    async fn poll_within<T, F>(
        &self,
        limit: Duration,
        what: impl Fn() -> String,
        mut find: impl FnMut() -> F,
    ) -> T
    where
        F: Future<Output = Option<T>>,
    {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(found) = find().await {
                return found;
            }
            if Instant::now() >= deadline {
                panic!(
                    "waited {limit:?} for {}; {}",
                    what(),
                    self.describe_page().await
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until an element matches `css` and answers it.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.poll(
            || format!("an element `{css}`"),
            || async { self.client.find(Locator::Css(css)).await.ok() },
        )
        .await
    }

    /// Waits until the (visible) text of the first element matching `css` contains `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str) {
        let last = Mutex::new(None::<String>);
        self.poll(
            || {
                let last = last.lock().expect("last");
                match &*last {
                    Some(seen) => format!("`{css}` to contain {text:?}; it says {seen:?}"),
                    None => format!("`{css}` to contain {text:?}; no such element"),
                }
            },
            || async {
                let element = self.client.find(Locator::Css(css)).await.ok()?;
                let seen = element.text().await.ok()?;
                let found = seen.contains(text);
                *last.lock().expect("last") = Some(seen);
                found.then_some(())
            },
        )
        .await
    }

    /// Waits until the JavaScript expression `condition` is truthy (`"document.fonts.status ===
    /// 'loaded'"`).
    pub async fn wait_until(&self, condition: &str) {
        self.wait_until_within(condition, WAIT).await;
    }

    /// [`Browser::wait_until`] for at most `limit`: for what a page does on a timer of its own
    /// (a countdown, a reconnection's back-off), waited for at most that timer's length plus
    /// [`WAIT`].
    pub async fn wait_until_within(&self, condition: &str, limit: Duration) {
        let script = format!("return !!({condition});");
        self.poll_within(
            limit,
            || format!("`{condition}` to be true"),
            || async {
                let value = self.client.execute(&script, Vec::new()).await.ok()?;
                (value == Value::Bool(true)).then_some(())
            },
        )
        .await
    }

    /// Waits for `css` and clicks it (as a user would: it must be visible and not covered).
    pub async fn click(&self, css: &str) {
        let element = self.wait_for(css).await;
        bounded(&format!("click `{css}`"), element.click()).await;
    }

    /// Presses and releases one key on whatever has the focus: `Key::Enter`, `Key::Tab`, `'3'`.
    pub async fn press_key(&self, key: impl Into<char>) {
        let key = key.into();
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        bounded(
            &format!("press key {key:?}"),
            self.client.perform_actions(actions),
        )
        .await;
    }

    /// Types `text` into whatever has the focus.
    pub async fn type_text(&self, text: &str) {
        let focused = bounded("find the focused element", self.client.active_element()).await;
        bounded(&format!("type {text:?}"), focused.send_keys(text)).await;
    }

    /// The visible text of the first element matching `css` (waiting for it to exist).
    pub async fn text(&self, css: &str) -> String {
        let element = self.wait_for(css).await;
        bounded(&format!("read the text of `{css}`"), element.text()).await
    }

    /// Saves a PNG of the viewport (exactly `width`×`height` pixels) as `name` (`"kiosk.png"`)
    /// in [`screenshot_dir`].
    pub async fn screenshot(&self, name: &str) {
        self.save_screenshot(name, (self.width, self.height)).await;
    }

    async fn save_screenshot(&self, name: &str, size: (u32, u32)) {
        let path = screenshot_path(name);
        let png = bounded("take a screenshot", self.client.screenshot()).await;
        assert_eq!(
            png_size(&png),
            size,
            "the screenshot is not the viewport's size"
        );
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// A command to chromedriver's non-W3C endpoint `path` below the session (`/se/log`,
    /// `/goog/cdp/execute`); answers its JSON.
    async fn session_post(&self, what: &str, path: &str, body: Value) -> Value {
        let session = bounded("session id", self.client.session_id())
            .await
            .expect("a session");
        let url = format!("{}/session/{session}{path}", self.driver);
        bounded(what, async {
            reqwest::Client::new()
                .post(url)
                .json(&body)
                .send()
                .await?
                .json()
                .await
        })
        .await
    }

    /// Runs a Chrome DevTools Protocol command through chromedriver's passthrough
    /// (`Emulation.setEmulatedMedia`, …) and answers its result; panics on a CDP error.
    pub async fn cdp(&self, command: &str, params: Value) -> Value {
        let answer = self
            .session_post(
                &format!("CDP {command}"),
                "/goog/cdp/execute",
                json!({"cmd": command, "params": params}),
            )
            .await;
        if let Some(error) = answer["value"].get("error") {
            panic!("CDP {command}: {error}: {}", answer["value"]["message"]);
        }
        answer["value"].clone()
    }

    /// Lays the page out as printed on paper `width` CSS pixels wide (96 px = 1 in, so an 80 mm
    /// roll is 302 px): print media, and a `width`×`height` viewport. Undone by
    /// [`Browser::stop_emulation`].
    pub async fn emulate_print(&self, width: u32, height: u32) {
        self.cdp("Emulation.setEmulatedMedia", json!({"media": "print"}))
            .await;
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        )
        .await;
    }

    /// Back to screen media and the window's own viewport.
    pub async fn stop_emulation(&self) {
        self.cdp("Emulation.clearDeviceMetricsOverride", json!({}))
            .await;
        self.cdp("Emulation.setEmulatedMedia", json!({"media": ""}))
            .await;
    }

    /// Saves a PNG of the emulated viewport ([`Browser::emulate_print`]), which must be
    /// `width`×`height` pixels, as `name` in [`screenshot_dir`].
    pub async fn screenshot_emulated(&self, name: &str, width: u32, height: u32) {
        self.save_screenshot(name, (width, height)).await;
    }

    /// Prints the page to PDF with the WebDriver Print command on paper `width_cm`×`height_cm`
    /// without margins or shrinking (as a receipt printer would), and answers the PDF.
    pub async fn print_pdf(&self, width_cm: f64, height_cm: f64) -> Vec<u8> {
        use fantoccini::wd::{PrintConfiguration, PrintMargins, PrintSize};
        let configuration = PrintConfiguration::builder()
            .size(PrintSize {
                width: width_cm,
                height: height_cm,
            })
            .margins(PrintMargins {
                top: 0.0,
                bottom: 0.0,
                left: 0.0,
                right: 0.0,
            })
            .shrink_to_fit(false)
            .build()
            .expect("a valid print configuration");
        bounded("print to PDF", self.client.print(configuration)).await
    }

    /// The [`TEST_PRINTER`]'s record: `{calls, inProgress, printed: [{screen, text}]}`.
    pub async fn printer(&self) -> Value {
        self.js("const p = window.numerekTestPrinter;
                 return {calls: p.calls, inProgress: p.inProgress, printed: p.printed};")
            .await
    }

    /// Ends the print in progress on the [`TEST_PRINTER`] (the page gets `afterprint`); answers
    /// whether one was in progress.
    pub async fn finish_print(&self) -> bool {
        self.js("return window.numerekTestPrinter.finish();").await == Value::Bool(true)
    }

    /// The page's console errors (uncaught exceptions, failed loads, CSP refusals) logged since
    /// the last call.
    pub async fn console_errors(&self) -> Vec<String> {
        // chromedriver's log endpoint (not W3C, so fantoccini has no call for it).
        let answer = self
            .session_post(
                "read the browser log",
                "/se/log",
                json!({"type": "browser"}),
            )
            .await;
        answer["value"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| entry["message"].as_str().unwrap_or("").to_owned())
            .collect()
    }

    /// Runs axe-core's WCAG 2.1 A/AA rules on the current page and panics listing every
    /// `serious` or `critical` violation (rule, help, failing elements). `page` names the page
    /// in the message. axe-core is injected through WebDriver, which the page's CSP does not
    /// govern.
    pub async fn axe_check(&self, page: &str) {
        let source = axe_source();
        let loaded = self.js("return typeof window.axe === 'object';").await;
        if loaded != Value::Bool(true) {
            self.js(&source).await;
        }
        let result = bounded(
            "run axe-core",
            self.client.execute_async(AXE_RUN, Vec::new()),
        )
        .await;
        if let Some(error) = result.get("error") {
            panic!("axe-core failed on {page}: {error}");
        }
        let violations = result["violations"].as_array().expect("violations");
        let mut report = String::new();
        for violation in violations {
            let impact = violation["impact"].as_str().unwrap_or("");
            let line = format!(
                "- {} ({impact}): {}\n",
                violation["id"].as_str().unwrap_or(""),
                violation["help"].as_str().unwrap_or("")
            );
            if !matches!(impact, "serious" | "critical") {
                eprintln!("axe, {page}: minor {line}");
                continue;
            }
            report.push_str(&line);
            for node in violation["nodes"].as_array().into_iter().flatten() {
                let summary: Vec<&str> = node["summary"]
                    .as_str()
                    .unwrap_or("")
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .collect();
                report.push_str(&format!("    {}: {}\n", node["target"], summary.join("; ")));
            }
        }
        assert!(
            report.is_empty(),
            "axe-core: serious or critical WCAG 2.1 AA violations on {page}:\n{report}"
        );
    }

    /// Ends the browser (dropping it also does, when the runtime is still running; and the
    /// [`Chromedriver`]'s drop ends any browser left).
    pub async fn close(self) {
        let _ = tokio::time::timeout(COMMAND_TIMEOUT, self.client.close()).await;
    }
}

/// The width and height of a PNG, from its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.starts_with(b"\x89PNG") && png.len() > 24, "not a PNG");
    let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().expect("4 bytes"));
    (size(16), size(20))
}

/// The pages of a PDF as Chromium writes it (uncompressed page dictionaries): the width and
/// height of each page's `/MediaBox`, in points (1/72 in).
pub fn pdf_pages(pdf: &[u8]) -> Vec<(f64, f64)> {
    let text = String::from_utf8_lossy(pdf);
    let pages = text
        .match_indices("/Type /Page")
        .filter(|(at, found)| !text[at + found.len()..].starts_with('s'))
        .count();
    let boxes: Vec<(f64, f64)> = text
        .match_indices("/MediaBox [")
        .map(|(at, found)| {
            let rest = &text[at + found.len()..];
            let numbers: Vec<f64> = rest[..rest.find(']').expect("]")]
                .split_whitespace()
                .map(|n| n.parse().expect("a number"))
                .collect();
            (numbers[2] - numbers[0], numbers[3] - numbers[1])
        })
        .collect();
    assert_eq!(
        boxes.len(),
        pages,
        "one /MediaBox per page (the PDF has {pages} pages)"
    );
    boxes
}

/// axe.run on the document, WCAG 2.0/2.1 A and AA rules; answers the violations, trimmed.
const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
  .then(result => done({violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary || ''})),
    }))}))
  .catch(error => done({error: String(error)}));
"#;

/// The source of the pinned axe-core (`NUMEREK_AXE_JS`, or where scripts/test.sh puts it).
fn axe_source() -> String {
    let path = std::env::var_os("NUMEREK_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(AXE_DEFAULT));
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core not found at {} ({e}): run ./scripts/test.sh, which installs it and sets \
             NUMEREK_AXE_JS",
            path.display()
        )
    })
}
