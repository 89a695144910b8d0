//! login and logout.
use std::io::{IsTerminal, Read, Write};

use anyhow::bail;

use super::*;
use crate::cli::{Ctx, Flavor};
use crate::image::auth::{AuthStore, Credentials};

fn read_password_from_tty(prompt: &str) -> anyhow::Result<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let stdin = std::io::stdin();
    let guard = crate::sys::EchoOff::new(&stdin);
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    drop(guard);
    eprintln!();
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

pub fn login(ctx: &Ctx, a: LoginArgs) -> anyhow::Result<u8> {
    let server = a.server.clone().unwrap_or_else(|| "docker.io".to_string());
    let host = crate::image::auth::normalize_registry_key(&server);
    let remote = remote(ctx, &a.registry)?;
    if a.get_login {
        return match remote.auth.lookup(&host)? {
            Some(c) => {
                println!("{}", c.username);
                Ok(0)
            }
            None => bail!("not logged into {host}"),
        };
    }
    let interactive = std::io::stdin().is_terminal();
    let username = match a.username.clone() {
        Some(u) => u,
        None if interactive => {
            eprint!("Username: ");
            let _ = std::io::stderr().flush();
            let mut u = String::new();
            std::io::stdin().read_line(&mut u)?;
            u.trim().to_string()
        }
        None => bail!("no username given: use --username (or -u)"),
    };
    let password = if a.password_stdin {
        let mut p = String::new();
        std::io::stdin().read_to_string(&mut p)?;
        p.trim_end_matches(['\n', '\r']).to_string()
    } else if let Some(p) = a.password.clone() {
        p
    } else if interactive {
        read_password_from_tty("Password: ")?
    } else {
        bail!("no password given: use --password-stdin or --password");
    };
    if username.is_empty() {
        bail!("username is empty");
    }
    let creds = Credentials { username, password };
    let rt = runtime()?;
    rt.block_on(async {
        // The repository only matters for the token scope; login asks for none.
        let ep = crate::config::registries::Endpoint {
            host: host.clone(),
            repository: "library/none".to_string(),
            insecure: remote.registries.is_insecure(&host),
            mirror: false,
        };
        let session = crate::image::registry::Session::connect(
            &remote.transport,
            &ep.host,
            &ep.repository,
            &remote.host_options(ep.insecure),
            Some(creds.clone()),
            false,
        )
        .await?;
        session.verify_login().await
    })?;
    remote.auth.store(&host, &creds)?;
    println!(
        "Login Succeeded{}",
        if ctx.flavor == Flavor::Docker {
            ""
        } else {
            "!"
        }
    );
    Ok(0)
}

pub fn logout(ctx: &Ctx, a: LogoutArgs) -> anyhow::Result<u8> {
    let auth = AuthStore::new(&ctx.paths, a.authfile.as_deref());
    if a.all {
        auth.remove_all()?;
        println!("Removed login credentials for all registries");
        return Ok(0);
    }
    let server = a.server.clone().unwrap_or_else(|| "docker.io".to_string());
    let host = crate::image::auth::normalize_registry_key(&server);
    if auth.remove(&host)? {
        println!("Removed login credentials for {host}");
        Ok(0)
    } else {
        bail!("not logged into {host}")
    }
}
