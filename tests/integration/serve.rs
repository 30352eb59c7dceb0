//! `jixiao serve` over HTTP on an ephemeral port: every page and endpoint, hostile uploads, concurrency, versions, the access code, and the browser end-to-end test.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const EXAMPLE: &str = "examples/linyi-education-2023.xlsx";
const LAST_YEAR: &str = "examples/linyi-education-2022.xlsx";

/// A `jixiao serve` started for one test, ended when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    code: Option<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example() -> Vec<u8> {
    std::fs::read(root().join(EXAMPLE)).unwrap()
}

/// Starts the binary with `args` after `serve --listen LISTEN`; reads the address (and code) it prints.
fn serve(listen: &str, args: &[&Path]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    cmd.args(["serve", "--listen", listen]);
    for (flag, p) in ["--dir", "--prior"].iter().zip(args) {
        cmd.arg(flag).arg(p);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let at = line
        .find("http://")
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    let addr: SocketAddr = line[at + 7..].trim().trim_end_matches('/').parse().unwrap();
    let code = if addr.ip().is_loopback() {
        None
    } else {
        let mut l = String::new();
        out.read_line(&mut l).unwrap();
        Some(l.rsplit('：').next().unwrap().trim().to_string())
    };
    // Connect over loopback whatever it listens on.
    let addr = SocketAddr::from(([127, 0, 0, 1], addr.port()));
    Server { child, addr, code }
}

/// One HTTP/1.1 response.
struct Resp {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Resp {
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn error(&self) -> String {
        self.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// A plain HTTP/1.1 request (`Connection: close`), read to the end.
fn request(addr: SocketAddr, head: &str, body: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let headers = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = headers[9..12].parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if headers.contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    Resp {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n").unwrap();
        let n = usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + n]);
        b = &b[eol + 4 + n..];
    }
}

fn get(addr: SocketAddr, path: &str, extra: &str) -> Resp {
    request(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n{extra}\r\n"),
        b"",
    )
}

/// A multipart form: (field, file name or none for text, bytes).
fn post(addr: SocketAddr, path: &str, fields: &[(&str, Option<&str>, &[u8])]) -> Resp {
    const B: &str = "jixiaoTestBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, file, bytes) in fields {
        body.extend_from_slice(format!("--{B}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{B}--\r\n").as_bytes());
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary={B}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    request(addr, &head, &body)
}

fn upload(addr: SocketAddr, path: &str, name: &str, bytes: &[u8]) -> Resp {
    post(addr, path, &[("file", Some(name), bytes)])
}

/// The names of an xlsx's sheets (from xl/workbook.xml).
fn sheet_names(xlsx: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("an xlsx");
    let mut s = String::new();
    z.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn alive(s: &Server) {
    let r = get(s.addr, "/api/info", "");
    assert_eq!(r.status, 200, "server no longer answers");
}

#[test]
fn pages_assets_and_nothing_else() {
    let s = serve("127.0.0.1:0", &[]);
    for page in ["/", "/summary", "/diff", "/template"] {
        let r = get(s.addr, page, "");
        assert_eq!(r.status, 200, "{page}");
        assert!(r.headers.contains("content-type: text/html"), "{page}");
        assert!(
            r.text().contains("自查") && r.text().contains("汇总"),
            "{page}"
        );
        assert!(
            !r.text().contains("http://") && !r.text().contains("https://"),
            "{page}: no CDN"
        );
    }
    let js = get(s.addr, "/assets/app.js", "");
    assert_eq!(js.status, 200);
    assert!(js.headers.contains("text/javascript"));
    assert!(
        !js.text().contains("https://"),
        "nothing fetched from elsewhere"
    );
    assert_eq!(get(s.addr, "/assets/app.css", "").status, 200);
    let info = get(s.addr, "/api/info", "").json();
    assert_eq!(info["submit"], false);
    assert_eq!(info["code"], false);
    // No listing, no files outside the routes.
    for path in [
        "/assets/",
        "/assets",
        "/../Cargo.toml",
        "/examples/",
        "/%2e%2e/Cargo.toml",
        "/api/",
    ] {
        let r = get(s.addr, path, "");
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.error(), "没有这个页面", "{path}");
    }
    // Without --dir: no submissions, no summary.
    let r = upload(s.addr, "/api/submit", "a.xlsx", &example());
    assert_eq!(r.status, 403);
    assert!(r.error().contains("--dir"), "{}", r.error());
    assert_eq!(get(s.addr, "/api/summary", "").status, 404);
}

#[test]
fn check_marked_and_official() {
    let s = serve("127.0.0.1:0", &[]);
    let r = upload(s.addr, "/api/check", "教育局.xlsx", &example());
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    assert_eq!(j["file"], "教育局.xlsx");
    assert_eq!(
        (j["errors"].as_u64(), j["warnings"].as_u64()),
        (Some(0), Some(2))
    );
    let t = &j["tables"][0];
    let findings = t["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2);
    for f in findings {
        assert_eq!(f["rule"], "目标低于上年实际");
        assert_eq!(f["code"], "target_below_history");
        assert_eq!(f["level"], "警告");
        assert!(f["cell"].as_str().unwrap().starts_with('F'));
    }
    let g = &t["grid"];
    assert!(
        !g["merges"].as_array().unwrap().is_empty(),
        "merged cells sent"
    );
    assert_eq!(g["header"], serde_json::json!([2, 4]));

    let m = upload(s.addr, "/api/marked", "教育局.xlsx", &example());
    assert_eq!(m.status, 200);
    assert!(m.headers.contains("spreadsheetml"));
    assert!(
        m.headers
            .contains("filename*=utf-8''%e6%95%99%e8%82%b2%e5%b1%80-%e6%a0%87%e6%b3%a8.xlsx"),
        "{}",
        m.headers
    );
    assert!(sheet_names(&m.body).contains("校验结果"));
    let o = upload(s.addr, "/api/official", "教育局.xlsx", &example());
    assert_eq!(o.status, 200);
    assert!(!sheet_names(&o.body).contains("校验结果"));
    // A workbook of several tables: one view each.
    let projects =
        std::fs::read(root().join("examples/linyi-education-projects-2024.xlsx")).unwrap();
    let j = upload(s.addr, "/api/check", "项目.xlsx", &projects).json();
    let tables = j["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 3, "{j}");
    assert!(tables.iter().all(|t| t["template"] == "project-target"));
    let sheets: std::collections::HashSet<&str> = tables
        .iter()
        .map(|t| t["sheet"].as_str().unwrap())
        .collect();
    assert_eq!(sheets.len(), 3);
    // The client's path never reaches a message beyond its last part.
    let r = upload(
        s.addr,
        "/api/check",
        "C:\\Users\\张三\\..\\签到.xlsx",
        b"x,y\n",
    );
    assert_eq!(r.status, 422);
    assert!(
        r.error()
            .starts_with("签到.xlsx: 不是 Excel 或 WPS 表格文件"),
        "{}",
        r.error()
    );
    // A form without a file.
    let r = post(s.addr, "/api/check", &[("note", None, b"hi")]);
    assert_eq!(r.status, 400);
    assert_eq!(r.error(), "请先选择一个表格文件");
}

#[test]
fn hostile_uploads_are_refused_and_the_server_lives_on() {
    let s = serve("127.0.0.1:0", &[]);
    for (name, bytes, expected) in super::hostile_inputs::corpus() {
        for path in ["/api/check", "/api/marked"] {
            let r = upload(s.addr, path, name, &bytes);
            assert_eq!(r.status, 422, "{name} {path}: {}", r.text());
            let line = r.error();
            assert!(line.starts_with(&format!("{name}: ")), "{name}: {line}");
            assert!(
                line.contains(expected),
                "{name}: expected {expected} in {line}"
            );
            assert!(!line.contains('\n'), "{name}: one line");
        }
        alive(&s);
    }
    // Broken multipart and garbage requests.
    let r = request(
        s.addr,
        "POST /api/check HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 20\r\n\r\n",
        b"--x\r\nContent-Disposi",
    );
    assert!(matches!(r.status, 400 | 422), "{}", r.status);
    let _ = request(s.addr, "\x00\x01garbage\r\n\r\n", b"");
    alive(&s);
    // An upload over the reader's limit is refused before it is read, in Chinese.
    let r = request(
        s.addr,
        "POST /api/check HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 209715200\r\n\r\n",
        b"",
    );
    assert_eq!(r.status, 413);
    assert!(r.error().contains("超过上限 100 MB"), "{}", r.error());
    alive(&s);
}

#[test]
fn concurrent_uploads() {
    let s = serve("127.0.0.1:0", &[]);
    let bytes = example();
    let addr = s.addr;
    let threads: Vec<_> = (0..12)
        .map(|i| {
            let bytes = bytes.clone();
            std::thread::spawn(move || {
                let path = if i % 3 == 0 {
                    "/api/marked"
                } else {
                    "/api/check"
                };
                let r = upload(addr, path, "教育局.xlsx", &bytes);
                assert_eq!(r.status, 200, "{}", r.text());
                if path == "/api/check" {
                    assert_eq!(r.json()["warnings"], 2);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    alive(&s);
}

#[test]
fn submissions_keep_every_version_and_the_summary_shows_the_latest() {
    let dir = tempfile::tempdir().unwrap();
    let prior = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(LAST_YEAR), prior.path().join("2022.xlsx")).unwrap();
    let s = serve("127.0.0.1:0", &[dir.path(), prior.path()]);
    assert_eq!(get(s.addr, "/api/info", "").json()["submit"], true);
    let a = upload(s.addr, "/api/submit", "../../evil name.xlsx", &example());
    let b = upload(s.addr, "/api/submit", "../../evil name.xlsx", &example());
    assert_eq!((a.status, b.status), (200, 200), "{}", a.text());
    let (a, b) = (a.json(), b.json());
    assert_ne!(a["stored"], b["stored"], "never over an earlier submission");
    assert_eq!(a["sha256"], b["sha256"]);
    assert_eq!(a["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(a["warnings"], 2);
    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    for f in &files {
        assert!(f.starts_with("2023年_临沂市教育局_"), "{f}");
        assert!(!f.contains("evil") && !f.contains(".."), "{f}");
        assert_eq!(std::fs::read(dir.path().join(f)).unwrap(), example());
    }
    // An unreadable file is refused, never stored.
    let r = upload(s.addr, "/api/submit", "x.xlsx", b"");
    assert_eq!(r.status, 422);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);

    let rows = get(s.addr, "/api/summary", "").json();
    let rows = rows["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "one row per unit and table: {rows:?}");
    let row = &rows[0];
    assert_eq!(row["department"], "临沂市教育局");
    assert_eq!(row["status"], "有警告");
    assert_eq!(row["versions"], 2);
    assert!(row["changes"].as_str().unwrap().contains("修改"), "{row}");
    let x = get(s.addr, "/api/summary.xlsx", "");
    assert_eq!(x.status, 200);
    assert!(sheet_names(&x.body).contains("汇总"));
    let file = row["file"].as_str().unwrap();
    let enc: String = file.bytes().map(|b| format!("%{b:02X}")).collect();
    let d = get(
        s.addr,
        &format!("/api/summary/diff.xlsx?file={enc}&table=0"),
        "",
    );
    assert_eq!(d.status, 200, "{}", d.text());
    assert!(sheet_names(&d.body).contains("变更汇总"));
    // Only the folder's own files.
    let d = get(
        s.addr,
        "/api/summary/diff.xlsx?file=..%2FCargo.toml&table=0",
        "",
    );
    assert_eq!(d.status, 422);
    // A file put in the folder by hand shows as it reads.
    std::fs::write(dir.path().join("坏.xlsx"), b"not a workbook").unwrap();
    let rows = get(s.addr, "/api/summary", "").json();
    assert!(rows["rows"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["status"] == "无法读取" && r["file"] == "坏.xlsx"));
}

#[test]
fn the_summary_needs_the_access_code_off_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let s = serve("0.0.0.0:0", &[dir.path()]);
    let code = s.code.clone().expect("a code printed");
    assert_eq!(code.len(), 8);
    assert_eq!(get(s.addr, "/api/info", "").json()["code"], true);
    let r = get(s.addr, "/api/summary", "");
    assert_eq!(r.status, 401);
    assert!(r.error().contains("访问码"));
    assert_eq!(
        get(s.addr, "/api/summary", "x-jixiao-code: AAAAAAAA\r\n").status,
        401
    );
    assert_eq!(get(s.addr, "/api/summary.xlsx", "").status, 401);
    assert_eq!(
        get(s.addr, &format!("/api/summary?code={code}"), "").status,
        200
    );
    let ok = get(
        s.addr,
        "/api/summary",
        &format!("x-jixiao-code: {}\r\n", code.to_lowercase()),
    );
    assert_eq!(ok.status, 200);
    // The departments' pages need none.
    assert_eq!(
        upload(s.addr, "/api/check", "a.xlsx", &example()).status,
        200
    );
    assert!(jixiao::serve::code_matches(&code, &code));
    assert!(!jixiao::serve::code_matches(&code, "2345678A"));
}

#[test]
fn diff_and_template() {
    let s = serve("127.0.0.1:0", &[]);
    let prior = std::fs::read(root().join(LAST_YEAR)).unwrap();
    let fields: [(&str, Option<&str>, &[u8]); 2] = [
        ("prior", Some("2022.xlsx"), &prior),
        ("current", Some("2023.xlsx"), &example()),
    ];
    let r = post(s.addr, "/api/diff", &fields);
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    assert!(j["summary"]["modified"].as_u64().unwrap() > 0);
    assert!(!j["changes"].as_array().unwrap().is_empty());
    let x = post(s.addr, "/api/diff.xlsx", &fields);
    assert_eq!(x.status, 200);
    assert!(sheet_names(&x.body).contains("变更明细"));
    let r = post(s.addr, "/api/diff", &fields[..1]);
    assert_eq!(r.status, 400);

    let t = post(
        s.addr,
        "/api/template",
        &[
            ("year", None, b"2025"),
            ("department", None, "临沂市教育局".as_bytes()),
            ("template", None, b"dept-overall"),
        ],
    );
    assert_eq!(t.status, 200, "{}", t.text());
    let table = jixiao::read::read_bytes(
        &t.body,
        "blank.xlsx",
        &jixiao::read::ReadOptions {
            sheet: None,
            templates: &jixiao::template::Template::builtins(),
        },
    )
    .unwrap();
    assert_eq!(table.year, Some(2025));
    let rolled = post(
        s.addr,
        "/api/template",
        &[
            ("year", None, b"2024"),
            ("department", None, "临沂市教育局".as_bytes()),
            ("from", Some("2023.xlsx"), &example()),
        ],
    );
    assert_eq!(rolled.status, 200, "{}", rolled.text());
    let bad = post(
        s.addr,
        "/api/template",
        &[("year", None, b"99"), ("department", None, b"x")],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.error().contains("2000–2099"), "{}", bad.error());
    // A template is a built-in id, never a path on the server.
    let path = post(
        s.addr,
        "/api/template",
        &[
            ("year", None, b"2025"),
            ("department", None, b"x"),
            ("template", None, b"/etc/passwd"),
        ],
    );
    assert_eq!(path.status, 400);
}

/// The browser test (e2e/serve.spec.mjs): runs when node, Debian's chromium
/// and e2e/node_modules are there; on CI (`CI` set) their absence fails.
#[test]
fn end_to_end_in_chromium() {
    let root = root();
    let chromium = Path::new("/usr/bin/chromium");
    let modules = root.join("e2e/node_modules/playwright-core");
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !(node && chromium.exists() && modules.exists()) {
        let why = "e2e: needs node, /usr/bin/chromium and e2e/node_modules (apt-get install -y chromium nodejs npm; cd e2e && npm ci)";
        assert!(std::env::var_os("CI").is_none(), "{why}");
        eprintln!("skipped: {why}");
        return;
    }
    let shots = std::env::var("SHOTS")
        .unwrap_or_else(|_| std::env::temp_dir().join("shots").display().to_string());
    let out = Command::new("node")
        .arg(root.join("e2e/serve.spec.mjs"))
        .env("JIXIAO_BIN", env!("CARGO_BIN_EXE_jixiao"))
        .env("SHOTS", shots)
        .current_dir(&root)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(text.contains(" passed, 0 failed"), "{text}");
}
