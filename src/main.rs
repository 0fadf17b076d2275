//! The `yusuan` command line (`cli/`); or, started as `yusuan read-worker …` by the library's
//! reader, a worker process reading untrusted workbooks under limits (`yusuan::worker`).

mod cli;

use cli::EXIT_UNREADABLE;
use cli::console::{self, errln};
use std::process::ExitCode;
use yusuan::worker::WorkerCommand;

fn main() -> ExitCode {
    // No panic text reaches a user: a panic while handling an input becomes that input's
    // 内部错误 (its message shown with --verbose), and any other one a single line below.
    std::panic::set_hook(Box::new(|_| {}));
    if let Some(worker) = WorkerCommand::from_args(std::env::args_os()) {
        return worker_main(worker);
    }
    let outcome = std::panic::catch_unwind(|| match cli::parse() {
        Ok(cli) => cli::run(cli),
        Err(code) => Ok(code),
    });
    let mut code = match outcome {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            errln!("错误：{e:#}");
            EXIT_UNREADABLE
        }
        Err(_) => {
            errln!("错误：内部错误，运行中止");
            EXIT_UNREADABLE
        }
    };
    if let Some(problem) = console::finish() {
        errln!("错误：{problem}");
        code = EXIT_UNREADABLE;
    }
    ExitCode::from(code)
}

/// A worker process: a malformed command line or a failure is one line.
fn worker_main(worker: Result<WorkerCommand, String>) -> ExitCode {
    let result = worker.and_then(|w| w.run().map_err(|e| e.to_string()));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            errln!("错误：{e}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}
