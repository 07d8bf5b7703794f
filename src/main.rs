//! The `guanai` binary: parses the command line and hands over to `guanai::cli`.
//! It owns the exit status and nothing else.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match guanai::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            let args: Vec<String> = std::env::args().collect();
            let lang = guanai::cli::lang_of_args(&args);
            eprintln!("guanai: {}", guanai::cli::clap_error_message(&e, lang));
            return ExitCode::from(2);
        }
    };
    let lang = cli.lang;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = guanai::cli::run(cli, &mut out).and_then(|()| Ok(out.flush()?));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let code = e.exit_code();
            if code != 0 {
                let _ = out.flush();
                eprintln!("guanai: {}", e.message(lang));
            }
            ExitCode::from(code)
        }
    }
}
