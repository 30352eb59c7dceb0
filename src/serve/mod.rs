//! `jixiao serve`: the web pages (自查, 提交, 汇总, 对比, 模板) over HTTP, glue from uploads to read/validate/diff/write.
//!
//! axum on a small tokio runtime; every read or write of a workbook runs on
//! the blocking pool, a few at a time (`WORKERS`), each request capped in
//! size (the reader's upload limit) and time. Pages and their script are
//! built into the binary (`pages`); nothing is fetched at run time.
//! Stored names come from the table read, never from the client; the folder
//! is never listed. Off loopback, the bureau's 汇总 needs the access code
//! printed at start (`access`).

mod access;
mod check;
mod pages;
mod store;
mod summary;

pub use access::code_matches;
pub use store::sanitize;

use crate::error::{Error, Result, ServeError};
use crate::model::Table;
use crate::read::container::MAX_FILE_BYTES;
use crate::read::ReadOptions;
use crate::template::Template;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// Workbooks read or written at once; more requests wait their turn.
const WORKERS: usize = 4;

/// A request's longest time, upload included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(180);

/// Room for the multipart framing and the small fields beside the files.
const FORM_OVERHEAD: usize = 1 << 20;

/// Fields of one form, at most.
const MAX_FIELDS: usize = 8;

/// How `jixiao serve` runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (`127.0.0.1:8600`).
    pub listen: SocketAddr,
    /// The submissions folder (提交, 汇总); `None`: checking only.
    pub dir: Option<PathBuf>,
    /// Last year's folder, for 汇总's changes.
    pub prior: Option<PathBuf>,
    /// The access code off loopback; `None`: a new random one.
    pub code: Option<String>,
}

/// What the server tells once it listens.
#[derive(Debug, Clone)]
pub struct Started {
    /// The address it listens on (the port chosen when asked for 0).
    pub addr: SocketAddr,
    /// The access code, when it listens beyond loopback.
    pub code: Option<String>,
}

struct App {
    templates: Vec<Template>,
    dir: Option<PathBuf>,
    prior: Option<Vec<Table>>,
    code: Option<String>,
    work: Arc<Semaphore>,
    cache: summary::Cache,
}

/// Binds, calls `on_start` with the address (and code), then serves until the process ends.
pub fn run(config: Config, on_start: impl FnOnce(&Started)) -> Result<()> {
    let templates = Template::builtins();
    let prior = match &config.prior {
        Some(dir) => {
            let opts = ReadOptions {
                sheet: None,
                templates: &templates,
            };
            Some(crate::commands::read_side(dir, &opts)?.0)
        }
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::serve(ServeError::Runtime(e.to_string())))?;
    let listen_error = |addr: std::net::SocketAddr, e: &std::io::Error| {
        Error::serve(ServeError::Listen {
            addr: addr.to_string(),
            why: e.to_string(),
        })
    };
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| listen_error(config.listen, &e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| listen_error(config.listen, &e))?;
        let code = if addr.ip().is_loopback() {
            None
        } else {
            Some(
                config
                    .code
                    .clone()
                    .or_else(access::new_code)
                    .ok_or_else(|| Error::serve(ServeError::NoRandom))?,
            )
        };
        on_start(&Started {
            addr,
            code: code.clone(),
        });
        let app = Arc::new(App {
            templates,
            dir: config.dir,
            prior,
            code,
            work: Arc::new(Semaphore::new(WORKERS)),
            cache: summary::Cache::default(),
        });
        axum::serve(listener, router(app))
            .await
            .map_err(|e| Error::serve(ServeError::Server(e.to_string())))
    })
}

fn router(app: Arc<App>) -> Router {
    let one = MAX_FILE_BYTES as usize + FORM_OVERHEAD;
    let two = 2 * MAX_FILE_BYTES as usize + FORM_OVERHEAD;
    let single = Router::new()
        .route("/api/check", post(check_page))
        .route("/api/marked", post(marked))
        .route("/api/official", post(official))
        .route("/api/submit", post(submit))
        .route("/api/template", post(template))
        .layer(RequestBodyLimitLayer::new(one));
    let double = Router::new()
        .route("/api/diff", post(diff_page))
        .route("/api/diff.xlsx", post(diff_xlsx))
        .layer(RequestBodyLimitLayer::new(two));
    Router::new()
        .route("/", get(pages::page))
        .route("/summary", get(pages::page))
        .route("/diff", get(pages::page))
        .route("/template", get(pages::page))
        .route("/assets/app.js", get(pages::script))
        .route("/assets/app.css", get(pages::style))
        .route("/api/info", get(info))
        .route("/api/summary", get(summary_rows))
        .route("/api/summary.xlsx", get(summary_xlsx))
        .route("/api/summary/diff.xlsx", get(summary_diff))
        .merge(single)
        .merge(double)
        .fallback(not_found)
        .layer(DefaultBodyLimit::disable())
        .layer(axum::middleware::map_response(too_large_in_chinese))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(app)
}

/// A failed request: its status and one Chinese line, sent as `{"error": …}`.
struct Failure(StatusCode, String);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.1 });
        (self.0, axum::Json(body)).into_response()
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
    }
}

type Answer = std::result::Result<Response, Failure>;

/// The upload too large message for the limit layer's bare 413 (and the timeout's 408).
async fn too_large_in_chinese(r: Response) -> Response {
    match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE if !is_json(&r) => {
            Failure(StatusCode::PAYLOAD_TOO_LARGE, too_large_text()).into_response()
        }
        StatusCode::REQUEST_TIMEOUT if !is_json(&r) => {
            Failure(StatusCode::REQUEST_TIMEOUT, "处理超时，请稍后重试".into()).into_response()
        }
        _ => r,
    }
}

fn is_json(r: &Response) -> bool {
    r.headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
}

fn too_large_text() -> String {
    format!(
        "文件过大或结构异常（上传超过上限 {} MB），已拒绝读取",
        MAX_FILE_BYTES >> 20
    )
}

async fn not_found() -> Failure {
    Failure(StatusCode::NOT_FOUND, "没有这个页面".into())
}

/// One uploaded file: the name it is known by in messages, and its bytes.
struct Upload {
    name: String,
    bytes: Vec<u8>,
}

/// A form's files and text fields, by field name.
#[derive(Default)]
struct Form {
    files: HashMap<String, Upload>,
    text: HashMap<String, String>,
}

impl Form {
    async fn read(mut m: Multipart) -> std::result::Result<Form, Failure> {
        let mut form = Form::default();
        let broken = |e: axum::extract::multipart::MultipartError| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Failure(StatusCode::PAYLOAD_TOO_LARGE, too_large_text())
            } else {
                Failure(
                    StatusCode::BAD_REQUEST,
                    "上传未完成或格式有误，请重新选择文件".into(),
                )
            }
        };
        for _ in 0..MAX_FIELDS {
            let Some(field) = m.next_field().await.map_err(broken)? else {
                return Ok(form);
            };
            let key = field.name().unwrap_or_default().to_string();
            let file_name = field.file_name().map(display_name);
            let bytes = field.bytes().await.map_err(broken)?;
            match file_name {
                Some(name) if !(name.is_empty() && bytes.is_empty()) => {
                    if bytes.len() as u64 > MAX_FILE_BYTES {
                        return Err(Failure(StatusCode::PAYLOAD_TOO_LARGE, too_large_text()));
                    }
                    form.files.insert(
                        key,
                        Upload {
                            name: if name.is_empty() {
                                "上传的文件".into()
                            } else {
                                name
                            },
                            bytes: bytes.to_vec(),
                        },
                    );
                }
                Some(_) => {}
                None => {
                    form.text
                        .insert(key, String::from_utf8_lossy(&bytes).into_owned());
                }
            }
        }
        Err(Failure(StatusCode::BAD_REQUEST, "表单的项目过多".into()))
    }

    fn file(&mut self, key: &str) -> std::result::Result<Upload, Failure> {
        self.files
            .remove(key)
            .ok_or_else(|| Failure(StatusCode::BAD_REQUEST, "请先选择一个表格文件".into()))
    }

    fn text(&self, key: &str) -> &str {
        self.text.get(key).map_or("", |s| s.trim())
    }
}

/// The client's file name, for messages only: its last part, without control characters, short.
fn display_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    last.chars().filter(|c| !c.is_control()).take(120).collect()
}

/// Runs `job` on the blocking pool, a few at a time; a panic is an internal error, never a crash.
async fn work<T: Send + 'static>(
    app: &Arc<App>,
    job: impl FnOnce(&App) -> Result<T> + Send + 'static,
) -> std::result::Result<T, Failure> {
    // The permit goes with the job: a request given up on (timeout) still
    // holds its place until its workbook is done.
    let permit = app
        .work
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| Failure(StatusCode::SERVICE_UNAVAILABLE, "服务正在停止".into()))?;
    let app = app.clone();
    match tokio::task::spawn_blocking(move || {
        let _permit = permit;
        job(&app)
    })
    .await
    {
        Ok(r) => r.map_err(Failure::from),
        Err(_) => Err(Failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            "内部错误，请把此文件发给开发者".into(),
        )),
    }
}

fn xlsx(bytes: Vec<u8>, name: &str) -> Response {
    let mut r = Body::from(bytes).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    // RFC 6266/5987: an ASCII fallback and the Chinese name percent-encoded.
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"jixiao.xlsx\"; filename*=UTF-8''{encoded}"
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// `教育局.xlsx` + `标注` → `教育局-标注.xlsx`.
fn derived_name(upload: &str, what: &str) -> String {
    let stem = upload.rsplit_once('.').map_or(upload, |(s, _)| s).trim();
    let stem = if stem.is_empty() { "表格" } else { stem };
    format!("{stem}-{what}.xlsx")
}

async fn info(State(app): State<Arc<App>>) -> Response {
    axum::Json(serde_json::json!({
        "submit": app.dir.is_some(),
        "prior": app.prior.is_some(),
        "code": app.code.is_some(),
        "limit_mb": MAX_FILE_BYTES >> 20,
    }))
    .into_response()
}

async fn check_page(State(app): State<Arc<App>>, m: Multipart) -> Answer {
    let up = Form::read(m).await?.file("file")?;
    let view = work(&app, move |app| {
        let c = check::check(&up.bytes, &up.name, &app.templates)?;
        Ok(check::view(&up.bytes, &up.name, &c))
    })
    .await?;
    Ok(axum::Json(view).into_response())
}

async fn marked(State(app): State<Arc<App>>, m: Multipart) -> Answer {
    let up = Form::read(m).await?.file("file")?;
    let name = derived_name(&up.name, "标注");
    let bytes = work(&app, move |app| {
        let c = check::check(&up.bytes, &up.name, &app.templates)?;
        check::marked(&c, &app.templates)
    })
    .await?;
    Ok(xlsx(bytes, &name))
}

async fn official(State(app): State<Arc<App>>, m: Multipart) -> Answer {
    let up = Form::read(m).await?.file("file")?;
    let name = derived_name(&up.name, "官方格式");
    let bytes = work(&app, move |app| {
        let c = check::check(&up.bytes, &up.name, &app.templates)?;
        check::official_bytes(&c, &app.templates)
    })
    .await?;
    Ok(xlsx(bytes, &name))
}

async fn submit(State(app): State<Arc<App>>, m: Multipart) -> Answer {
    if app.dir.is_none() {
        return Err(Failure(
            StatusCode::FORBIDDEN,
            "本服务未设报送文件夹（--dir），不接受提交".into(),
        ));
    }
    let up = Form::read(m).await?.file("file")?;
    let receipt = work(&app, move |app| {
        let dir = app.dir.as_deref().expect("checked above");
        let c = check::check(&up.bytes, &up.name, &app.templates)?;
        let stored = store::store(dir, &up.bytes, &c.tables)
            .map_err(|e| Error::serve(ServeError::Save(e.to_string())))?;
        let tables: Vec<serde_json::Value> = c
            .tables
            .iter()
            .zip(&c.reports)
            .map(|(t, r)| {
                serde_json::json!({
                    "label": crate::commands::table_label(t, &c.tables),
                    "errors": r.errors,
                    "warnings": r.warnings,
                })
            })
            .collect();
        Ok(serde_json::json!({
            "file": up.name,
            "stored": stored.name,
            "time": stored.time,
            "sha256": stored.sha256,
            "size": up.bytes.len(),
            "errors": c.reports.iter().map(|r| r.errors).sum::<usize>(),
            "warnings": c.reports.iter().map(|r| r.warnings).sum::<usize>(),
            "tables": tables,
        }))
    })
    .await?;
    Ok(axum::Json(receipt).into_response())
}

#[derive(Deserialize)]
struct CodeQuery {
    code: Option<String>,
    file: Option<String>,
    table: Option<usize>,
}

/// The bureau's pages: the folder (else 404) and, off loopback, the code.
fn bureau(app: &App, headers: &HeaderMap, q: &CodeQuery) -> std::result::Result<PathBuf, Failure> {
    if let Some(code) = &app.code {
        let given = headers
            .get("x-jixiao-code")
            .and_then(|v| v.to_str().ok())
            .or(q.code.as_deref())
            .unwrap_or("");
        if !access::code_matches(code, given) {
            return Err(Failure(
                StatusCode::UNAUTHORIZED,
                if given.is_empty() {
                    "请输入访问码（启动 jixiao serve 时显示）".into()
                } else {
                    "访问码不对，请核对启动 jixiao serve 时显示的访问码".into()
                },
            ));
        }
    }
    app.dir.clone().ok_or_else(|| {
        Failure(
            StatusCode::NOT_FOUND,
            "本服务未设报送文件夹（--dir），没有汇总".into(),
        )
    })
}

async fn summary_rows(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<CodeQuery>,
) -> Answer {
    let dir = bureau(&app, &headers, &q)?;
    let rows = work(&app, move |app| {
        let latest = app.cache.latest(&dir, &app.templates)?;
        Ok(latest.rows(app.prior.as_deref()))
    })
    .await?;
    Ok(
        axum::Json(serde_json::json!({ "rows": rows, "prior": app.prior.is_some() }))
            .into_response(),
    )
}

async fn summary_xlsx(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<CodeQuery>,
) -> Answer {
    let dir = bureau(&app, &headers, &q)?;
    let bytes = work(&app, move |app| {
        app.cache
            .latest(&dir, &app.templates)?
            .workbook(&app.templates)
    })
    .await?;
    Ok(xlsx(bytes, "汇总.xlsx"))
}

async fn summary_diff(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<CodeQuery>,
) -> Answer {
    let dir = bureau(&app, &headers, &q)?;
    let (Some(file), Some(table)) = (q.file.clone(), q.table) else {
        return Err(Failure(StatusCode::BAD_REQUEST, "缺少要比较的表".into()));
    };
    let name = derived_name(file.rsplit('/').next().unwrap_or(&file), "与上年对比");
    let bytes = work(&app, move |app| {
        let Some(prior) = app.prior.as_deref() else {
            return Err(Error::serve(ServeError::NoPriorFolder));
        };
        let latest = app.cache.latest(&dir, &app.templates)?;
        if !latest.has_file(&file) {
            return Err(Error::serve(ServeError::NoSuchFile));
        }
        latest.diff_workbook(&file, table, prior, &app.templates)
    })
    .await?;
    Ok(xlsx(bytes, &name))
}

/// The two sides of 对比, read.
fn both(app: &App, prior: &Upload, current: &Upload) -> Result<(Vec<Table>, Vec<Table>)> {
    let opts = ReadOptions {
        sheet: None,
        templates: &app.templates,
    };
    let p = crate::commands::restyle::tables_and_extras_bytes(&prior.bytes, &prior.name, &opts)?.0;
    let c =
        crate::commands::restyle::tables_and_extras_bytes(&current.bytes, &current.name, &opts)?.0;
    Ok((p, c))
}

async fn diff_page(State(app): State<Arc<App>>, m: Multipart) -> Answer {
    let mut form = Form::read(m).await?;
    let (prior, current) = (form.file("prior")?, form.file("current")?);
    let out = work(&app, move |app| {
        let (p, c) = both(app, &prior, &current)?;
        let pairs = crate::diff::pair_tables(&p, &c);
        let (reports, total) = crate::commands::diff::compare(&p, &c, &pairs);
        let text = crate::commands::diff::text(&p, &c, &pairs, &reports, &total);
        let changes: Vec<serde_json::Value> = reports
            .iter()
            .flat_map(|r| r.changes.iter())
            .map(|ch| {
                serde_json::json!({
                    "kind": ch.kind.label(),
                    "text": ch.describe(),
                })
            })
            .collect();
        Ok(serde_json::json!({
            "summary": total.summary,
            "warnings": total.warnings,
            "text": text,
            "changes": changes,
        }))
    })
    .await?;
    Ok(axum::Json(out).into_response())
}

async fn diff_xlsx(State(app): State<Arc<App>>, m: Multipart) -> Answer {
    let mut form = Form::read(m).await?;
    let (prior, current) = (form.file("prior")?, form.file("current")?);
    let name = derived_name(&current.name, "对比");
    let bytes = work(&app, move |app| {
        let (p, c) = both(app, &prior, &current)?;
        let pairs = crate::diff::pair_tables(&p, &c);
        let (reports, _) = crate::commands::diff::compare(&p, &c, &pairs);
        crate::commands::diff::workbook(&p, &c, &pairs, &reports, &app.templates)?
            .ok_or_else(|| Error::serve(ServeError::NoTablesEitherSide))?
            .map_err(Error::serve)
    })
    .await?;
    Ok(xlsx(bytes, &name))
}

async fn template(State(app): State<Arc<App>>, m: Multipart) -> Answer {
    let mut form = Form::read(m).await?;
    let from = form.files.remove("from");
    let year = form.text("year").to_string();
    let department = form.text("department").to_string();
    let project = Some(form.text("project").to_string()).filter(|p| !p.is_empty());
    let id = match form.text("template") {
        "" => crate::commands::AUTO.to_string(),
        t => t.to_string(),
    };
    if from.is_none()
        && id != crate::commands::AUTO
        && !crate::template::builtin_ids().contains(&id.as_str())
    {
        return Err(Failure(StatusCode::BAD_REQUEST, format!("未知的模板 {id}")));
    }
    let name = format!("{}年{}-空白模板.xlsx", year.trim(), department.trim());
    let bytes = work(&app, move |app| {
        let ask = crate::commands::template::Blank {
            year: &year,
            department: &department,
            project: project.as_deref(),
            rows: None,
            table: None,
            template: &id,
            sheet: None,
        };
        let from = from.as_ref().map(|u| (u.bytes.as_slice(), u.name.as_str()));
        crate::commands::template::blank(&ask, from, &app.templates)?.map_err(Error::serve)
    })
    .await?;
    Ok(xlsx(bytes, &name))
}
