// the sheets are many short-lived strings built on several threads: mimalloc reuses memory across
// threads where the system allocator grows and trims an arena per thread
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    stepwise::cli::main()
}
