//! Entry point: argv[0] dispatch and error -> exit code mapping only.
use std::process::ExitCode;

fn main() -> ExitCode {
    let argv0 = std::env::args_os()
        .next()
        .map(|a| {
            std::path::Path::new(&a)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let flavor = if argv0 == "docker" {
        skiff::cli::Flavor::Docker
    } else {
        skiff::cli::Flavor::Skiff
    };
    let result = if argv0 == "skiff-runtime" {
        skiff::cli::runtime::main()
    } else {
        skiff::cli::run(flavor)
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let code = skiff::cli::exit_code(&e);
            eprintln!("Error: {}", skiff::cli::error_line(&e));
            ExitCode::from(code)
        }
    }
}
