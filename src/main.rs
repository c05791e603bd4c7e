fn main() -> std::process::ExitCode {
    stepwise::cli::main()
}
