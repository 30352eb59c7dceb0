//! `jixiao serve [--listen ADDR] [--dir SUBMISSIONS] [--prior LAST_YEAR_DIR]`: the web pages, started from the command line.

use crate::cli::ServeArgs;
use crate::error::{Error, Result, ServeError};
use crate::serve::{self, Config};
use std::net::SocketAddr;

pub fn run(args: &ServeArgs) -> Result<u8> {
    let listen: SocketAddr = args
        .listen
        .trim()
        .parse()
        .map_err(|_| Error::serve(ServeError::BadListen(args.listen.clone())))?;
    for (flag, dir) in [("--dir", &args.dir), ("--prior", &args.prior)] {
        if let Some(d) = dir {
            if !d.is_dir() {
                return Err(Error::serve(ServeError::NotFolder {
                    flag,
                    path: d.display().to_string(),
                }));
            }
        }
    }
    let config = Config {
        listen,
        dir: args.dir.clone(),
        prior: args.prior.clone(),
        code: None,
    };
    serve::run(config, |started| {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "jixiao serve：请用浏览器打开 http://{}/", started.addr);
        if let Some(code) = &started.code {
            let _ = writeln!(out, "汇总页的访问码：{code}");
        }
        let _ = out.flush();
    })?;
    Ok(0)
}
