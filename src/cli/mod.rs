//! The command line. [`main`] parses the arguments (`args`), resolves them into a job (`job`: the
//! exercise loaded, the problems selected, every option checked) and runs it with its command (`run`,
//! `solve`, `code`, `compare`, `key`, `export`, `variants`, `vanishing`,
//! `misc`), which returns what goes to standard output.
//! Files are read and written through `io`. Exit codes: 0 ok, 1 a check failed, 2 bad input or an
//! error; a failure is one lower-case line on standard error after `stepwise: `.

mod args;
mod code;
mod compare;
mod docx;
mod export;
mod io;
mod job;
mod key;
mod misc;
mod pdf;
mod run;
mod solve;
mod statement;
mod table;
mod vanishing;
mod variants;

use args::Cli;
use clap::Parser;
use job::Job;
use std::io::Write as _;
use std::process::ExitCode;

/// A command's failure: the message and the exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    /// One line.
    pub(crate) message: String,
    /// 1 for a failed check, 2 for bad input.
    pub(crate) code: u8,
}

impl Failure {
    /// Bad input (exit code 2).
    pub(crate) fn input(message: impl std::fmt::Display) -> Failure {
        Failure {
            message: message.to_string(),
            code: 2,
        }
    }
}

/// Resolves the command line into a job and executes it: what to print, or the failure.
fn dispatch(cli: Cli) -> Result<String, Failure> {
    match Job::resolve(cli.command)? {
        Job::Run(job) => job.execute(),
        Job::Trace(job) => job.execute(),
        Job::Solve(job) => job.execute(),
        Job::Statement(job) => job.execute(),
        Job::Code(job) => job.execute(),
        Job::Compare(job) => job.execute(),
        Job::Key(job) => job.execute(),
        Job::CheckKey(job) => job.execute(),
        Job::Export(job) => job.execute(),
        Job::Variants(job) => job.execute(),
        Job::Vanishing(job) => job.execute(),
        Job::List => Ok(misc::list()),
        Job::Init(job) => job.execute(),
    }
}

/// Runs the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match dispatch(cli) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(out.as_bytes())
                .and_then(|_| stdout.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("stepwise: cannot write output: {}", io::io_reason(&e));
                    ExitCode::from(2)
                }
            }
        }
        Err(f) => {
            eprintln!("stepwise: {}", one_line(&f.message));
            ExitCode::from(f.code)
        }
    }
}

/// A message as one line that cannot drive the terminal: control characters (a newline or an escape
/// inside an id, a title or a key-file line) are written as escapes (`\n`, `\u{1b}`).
pub(crate) fn one_line(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn messages_are_one_line_without_terminal_escapes() {
        assert_eq!(
            one_line("unknown optimizer 'a\nb\u{1b}[2J'"),
            "unknown optimizer 'a\\nb\\u{1b}[2J'"
        );
        assert_eq!(one_line("câu 5: đáp án"), "câu 5: đáp án");
    }
}
