//! Writes command outputs whole or not at all: temp file beside the target, then rename.
//!
//! Rules (spec/cli.md): `-` is stdout; an output equal to an input is refused;
//! an existing target that is not a regular file (`/dev/null`, a pipe) is
//! written directly; several outputs of one command are all staged before any
//! is renamed into place, so a failure leaves none behind; an existing
//! workbook holding a filled-in table (a submission) is never replaced
//! unless forced (`--force`), an earlier output of jixiao always may be; each
//! file written is named on stderr (`已写入 PATH`).

use crate::error::{Error, OutputError, Result, UsageError};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One output of a command: where it goes and its bytes.
pub struct Output<'a> {
    pub target: &'a str,
    pub bytes: Vec<u8>,
}

/// Refuses an output path that names one of the inputs (or is empty).
pub fn check_target(target: &str, inputs: &[&Path]) -> Result<()> {
    if target.is_empty() {
        return Err(UsageError::EmptyOutput.into());
    }
    if target == "-" {
        return Ok(());
    }
    let t = Path::new(target);
    for input in inputs {
        if same_file(t, input) {
            return Err(UsageError::OutputIsInput(target.to_string()).into());
        }
    }
    Ok(())
}

/// Checks every output target of one command before any work is done: each is
/// refused if it names an input, and two outputs may not share a target (two
/// files cannot be written to one place, nor two to stdout).
pub fn check_targets(targets: &[&str], inputs: &[&Path]) -> Result<()> {
    for (k, t) in targets.iter().enumerate() {
        check_target(t, inputs)?;
        if targets[..k].contains(t) {
            return Err(if *t == "-" {
                UsageError::TwoToStdout
            } else {
                UsageError::SameOutput(t.to_string())
            }
            .into());
        }
    }
    Ok(())
}

/// Refuses to replace an existing workbook that holds a filled-in table (a
/// department's submission) unless `force`: exit 2, naming the file. An
/// earlier output of jixiao, untouched since, may always be replaced, as may
/// anything that is not a workbook with a filled-in table.
pub fn check_overwrite(targets: &[&str], force: bool) -> Result<()> {
    if force {
        return Ok(());
    }
    for t in targets.iter().filter(|t| **t != "-") {
        if holds_submission(Path::new(t)) {
            return Err(UsageError::WouldReplaceSubmission(t.to_string()).into());
        }
    }
    Ok(())
}

/// The first bytes of an old `.xls` (an OLE compound file).
const XLS_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether the regular file at `path` is a workbook, not jixiao's untouched
/// output, from which a table with at least one filled-in indicator is read.
fn holds_submission(path: &Path) -> bool {
    match fs::metadata(path) {
        Ok(m) if m.is_file() => {}
        _ => return false,
    }
    // The first bytes say whether it is a workbook at all: an earlier JSON
    // output (137 MB at 100,000 indicators) is not read whole to learn that.
    let mut head = Vec::with_capacity(8);
    let read = fs::File::open(path).and_then(|f| {
        use std::io::Read;
        f.take(8).read_to_end(&mut head)
    });
    let workbook = read.is_ok() && (head.starts_with(b"PK\x03\x04") || head == XLS_MAGIC);
    if !workbook {
        return false;
    }
    let Ok(bytes) = fs::read(path) else {
        return false;
    };
    if crate::read::mark::written_by_jixiao(&bytes) {
        return false;
    }
    let templates = crate::template::Template::builtins();
    let opts = crate::read::ReadOptions {
        sheet: None,
        templates: &templates,
    };
    let display = path.display().to_string();
    match crate::read::read_workbook_bytes(&bytes, &display, &opts) {
        Ok(wb) => wb.tables.iter().any(|t| {
            t.groups
                .iter()
                .flat_map(|g| &g.indicators)
                .any(|i| i.values.iter().any(|v| !v.trim().is_empty()))
        }),
        Err(_) => false,
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

enum Staged {
    Stdout(Vec<u8>),
    Direct(PathBuf, Vec<u8>),
    Temp(tempfile::NamedTempFile, PathBuf),
}

/// [`write_all_with`] without `--force` (the tests' shorthand).
#[cfg(test)]
pub fn write_all(outputs: Vec<Output<'_>>, inputs: &[&Path]) -> Result<()> {
    write_all_with(outputs, inputs, false)
}

/// Writes every output, or none: all are staged first, then renamed into
/// place; a submission is replaced only when `force` (`--force`, see
/// [`check_overwrite`]).
pub fn write_all_with(outputs: Vec<Output<'_>>, inputs: &[&Path], force: bool) -> Result<()> {
    let targets: Vec<&str> = outputs.iter().map(|o| o.target).collect();
    check_targets(&targets, inputs)?;
    check_overwrite(&targets, force)?;
    let mut staged = Vec::with_capacity(outputs.len());
    for o in outputs {
        staged.push(stage(o)?);
    }
    for s in staged {
        commit(s)?;
    }
    Ok(())
}

/// Puts one staged output in place and says so (`已写入 …`, not for stdout).
fn commit(s: Staged) -> Result<()> {
    let written = written_path(&s);
    match s {
        Staged::Stdout(bytes) => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|_| out.flush())
                .map_err(|e| Error::stdout(&e))?;
        }
        Staged::Direct(path, bytes) => {
            let mut f = fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .map_err(|e| Error::output(path.display(), io_reason(&e)))?;
            f.write_all(&bytes)
                .map_err(|e| Error::output(path.display(), io_reason(&e)))?;
        }
        Staged::Temp(tmp, path) => {
            tmp.persist(&path)
                .map_err(|e| Error::output(path.display(), io_reason(&e.error)))?;
        }
    }
    if let Some(path) = written {
        eprintln!("已写入 {path}");
    }
    Ok(())
}

/// Writes one output as `write` produces it, with the checks of
/// [`write_all_with`]: a large JSON goes to its file (or stdout) through a
/// buffer and is never held whole in memory. A file is still written to a
/// temp file first and renamed into place, so a failure leaves no partial
/// output.
pub fn write_one_streamed(
    target: &str,
    inputs: &[&Path],
    force: bool,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    check_targets(&[target], inputs)?;
    check_overwrite(&[target], force)?;
    if target == "-" {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        return write(&mut out)
            .and_then(|_| out.flush())
            .map_err(|e| Error::stdout(&e));
    }
    commit(stage_with(target, write)?)
}

/// The file a staged output goes to (`None` for stdout), as the user named it.
fn written_path(s: &Staged) -> Option<String> {
    match s {
        Staged::Stdout(_) => None,
        Staged::Direct(p, _) | Staged::Temp(_, p) => Some(p.display().to_string()),
    }
}

/// Writes one output (see [`write_all_with`]).
#[cfg(test)]
pub fn write_one(target: &str, bytes: Vec<u8>, inputs: &[&Path]) -> Result<()> {
    write_all(vec![Output { target, bytes }], inputs)
}

/// Writes one output, replacing a submission too when `force` (see [`write_all_with`]).
pub fn write_one_with(target: &str, bytes: Vec<u8>, inputs: &[&Path], force: bool) -> Result<()> {
    write_all_with(vec![Output { target, bytes }], inputs, force)
}

fn stage(o: Output<'_>) -> Result<Staged> {
    if o.target == "-" {
        return Ok(Staged::Stdout(o.bytes));
    }
    let bytes = o.bytes;
    stage_with(o.target, |w| w.write_all(&bytes))
}

/// Stages a file output: `write` fills a temp file beside the target (synced,
/// given the target's permissions), or a buffer for a target that is no
/// regular file (a device, a pipe), written when committed.
fn stage_with(
    target: &str,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<Staged> {
    let path = PathBuf::from(target);
    if let Ok(meta) = fs::metadata(&path) {
        if meta.is_dir() {
            return Err(Error::output(target, OutputError::IsFolder));
        }
        if !meta.is_file() {
            let mut bytes = Vec::new();
            write(&mut bytes).map_err(|e| Error::output(target, io_reason(&e)))?;
            return Ok(Staged::Direct(path, bytes));
        }
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(Error::output(target, OutputError::NoFolder));
    }
    let tmp = tempfile::Builder::new()
        .prefix(".jixiao-")
        .suffix(".tmp")
        .tempfile_in(&parent)
        .map_err(|e| Error::output(target, io_reason(&e)))?;
    let tmp = write_on_a_thread(tmp, write).map_err(|e| Error::output(target, io_reason(&e)))?;
    set_permissions(&tmp, &path).map_err(|e| Error::output(target, io_reason(&e)))?;
    Ok(Staged::Temp(tmp, path))
}

/// Bytes handed to the writing thread at a time.
const HANDOFF: usize = 1 << 16;

/// The writing thread syncs the file's data every so many bytes, so the final sync waits
/// for the last few only.
const SYNC_EVERY: usize = 2 << 20;

/// Fills `tmp` with what `write` produces, the file's writes and its final sync on a
/// second thread: a 27 MB JSON costs its producer only the copies into 64 KiB buffers,
/// the kernel's side (page cache, `fsync`) runs beside it. The first error of
/// either side is the result; the file is synced before this returns.
fn write_on_a_thread(
    tmp: tempfile::NamedTempFile,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<tempfile::NamedTempFile> {
    use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
    let (full_tx, full_rx) = sync_channel::<Vec<u8>>(16);
    let (empty_tx, empty_rx) = sync_channel::<Vec<u8>>(20);
    let writer = std::thread::spawn(move || -> std::io::Result<tempfile::NamedTempFile> {
        let mut tmp = tmp;
        let mut unsynced = 0;
        for mut buf in full_rx {
            tmp.write_all(&buf)?;
            unsynced += buf.len();
            if unsynced >= SYNC_EVERY {
                tmp.as_file().sync_data()?;
                unsynced = 0;
            }
            buf.clear();
            // A full return channel or a producer gone: the buffer is simply dropped.
            let _ = empty_tx.try_send(buf);
        }
        tmp.as_file().sync_all()?;
        Ok(tmp)
    });

    /// The producer's end: fills a buffer, sends it when full.
    struct Handoff {
        buf: Vec<u8>,
        full: Option<SyncSender<Vec<u8>>>,
        empty: Receiver<Vec<u8>>,
    }
    impl Handoff {
        fn send(&mut self) -> std::io::Result<()> {
            let next = self
                .empty
                .try_recv()
                .unwrap_or_else(|_| Vec::with_capacity(HANDOFF + 4096));
            let buf = std::mem::replace(&mut self.buf, next);
            let full = self.full.as_ref().expect("sender kept until finished");
            // The writer has stopped: its own error is reported when it is joined.
            full.send(buf)
                .map_err(|_| std::io::ErrorKind::BrokenPipe.into())
        }
    }
    impl Write for Handoff {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.write_all(bytes)?;
            Ok(bytes.len())
        }
        fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
            self.buf.extend_from_slice(bytes);
            if self.buf.len() >= HANDOFF {
                self.send()?;
            }
            Ok(())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    let mut h = Handoff {
        buf: Vec::with_capacity(HANDOFF + 4096),
        full: Some(full_tx),
        empty: empty_rx,
    };
    let produced = write(&mut h).and_then(|_| if h.buf.is_empty() { Ok(()) } else { h.send() });
    // Closing the channel ends the writer's loop.
    h.full = None;
    let written = writer
        .join()
        .unwrap_or_else(|_| Err(std::io::Error::other("写入线程异常退出")));
    match (produced, written) {
        // The writer's error (disk full) explains the producer's broken pipe.
        (_, Err(e)) => Err(e),
        (Err(e), Ok(_)) => Err(e),
        (Ok(()), Ok(tmp)) => Ok(tmp),
    }
}

/// A temp file is created private (0600); the output gets the permissions of
/// the file it replaces, or an ordinary file's (0644), so others can open it.
#[cfg(unix)]
fn set_permissions(tmp: &tempfile::NamedTempFile, target: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let perms = match fs::metadata(target) {
        Ok(m) => m.permissions(),
        Err(_) => fs::Permissions::from_mode(0o644),
    };
    fs::set_permissions(tmp.path(), perms)
}

#[cfg(not(unix))]
fn set_permissions(_: &tempfile::NamedTempFile, _: &Path) -> std::io::Result<()> {
    Ok(())
}

fn io_reason(e: &std::io::Error) -> OutputError {
    OutputError::of_io(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("out.json");
        write_one(t.to_str().unwrap(), b"{}".to_vec(), &[]).unwrap();
        assert_eq!(fs::read(&t).unwrap(), b"{}");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_streamed_output_arrives_whole_and_in_order_through_the_writing_thread() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("big.json");
        // Writes of every size, past several hand-offs and periodic syncs.
        let piece = |i: usize| format!("{i:07}:{}|", "绩".repeat(i % 97));
        let want: String = (0..60_000).map(piece).collect();
        assert!(want.len() > 2 * SYNC_EVERY + 3 * HANDOFF);
        write_one_streamed(t.to_str().unwrap(), &[], false, |w| {
            for i in 0..60_000 {
                w.write_all(piece(i).as_bytes())?;
            }
            Ok(())
        })
        .unwrap();
        assert!(fs::read(&t).unwrap() == want.as_bytes());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_streamed_output_that_fails_halfway_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("out.json");
        let r = write_one_streamed(t.to_str().unwrap(), &[], false, |w| {
            w.write_all(&vec![b'x'; 3 * HANDOFF])?;
            Err(std::io::Error::other("序列化失败"))
        });
        assert!(r.is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    /// Regression: outputs were left private (0600), as the temp file was created,
    /// so a colleague could not open a workbook written for them.
    #[cfg(unix)]
    #[test]
    fn output_is_readable_by_others_like_an_ordinary_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("out.xlsx");
        write_one(t.to_str().unwrap(), b"x".to_vec(), &[]).unwrap();
        assert_eq!(
            fs::metadata(&t).unwrap().permissions().mode() & 0o777,
            0o644
        );
        fs::set_permissions(&t, fs::Permissions::from_mode(0o640)).unwrap();
        write_one(t.to_str().unwrap(), b"y".to_vec(), &[]).unwrap();
        assert_eq!(
            fs::metadata(&t).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[test]
    fn refuses_output_equal_to_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.xlsx");
        fs::write(&input, b"x").unwrap();
        let e = write_one(input.to_str().unwrap(), b"y".to_vec(), &[&input]).unwrap_err();
        assert!(matches!(e, Error::Usage(_)));
        assert_eq!(fs::read(&input).unwrap(), b"x");
    }

    #[test]
    fn missing_folder_fails_and_earlier_outputs_are_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("a.xlsx");
        let bad = dir.path().join("no/such/b.json");
        let e = write_all(
            vec![
                Output {
                    target: good.to_str().unwrap(),
                    bytes: b"a".to_vec(),
                },
                Output {
                    target: bad.to_str().unwrap(),
                    bytes: b"b".to_vec(),
                },
            ],
            &[],
        )
        .unwrap_err();
        assert!(e.to_string().contains("目标文件夹不存在"), "{e}");
        assert!(!good.exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn two_outputs_to_one_place_are_refused_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("same");
        let t = t.to_str().unwrap();
        let e = write_all(
            vec![
                Output {
                    target: t,
                    bytes: b"a".to_vec(),
                },
                Output {
                    target: t,
                    bytes: b"b".to_vec(),
                },
            ],
            &[],
        )
        .unwrap_err();
        assert!(matches!(e, Error::Usage(_)), "{e}");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        assert!(check_targets(&["-", "-"], &[]).is_err());
        assert!(check_targets(&["-", t], &[]).is_ok());
    }

    #[test]
    fn dev_null_is_written_directly() {
        if Path::new("/dev/null").exists() {
            write_one("/dev/null", b"x".to_vec(), &[]).unwrap();
            assert!(Path::new("/dev/null").exists());
        }
    }
}
