//! The `jixiao` binary: the command line of the library's [`jixiao::cli_main`].

fn main() -> std::process::ExitCode {
    jixiao::cli_main()
}
