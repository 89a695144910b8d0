//! import, save, load.
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use anyhow::{Context as _, bail};

use super::*;
use crate::cli::{Ctx, Flavor};
use crate::image::manifest::Platform;
use crate::image::reference::Reference;

pub fn import(ctx: &Ctx, a: ImportArgs) -> anyhow::Result<u8> {
    use crate::image::archive::{ImportOptions, ImportSource};
    let store = ctx.store()?;
    let _gc = store.gc_shared()?;
    let reference = a.reference.as_deref().map(Reference::parse).transpose()?;
    let unpack = unpack_options(ctx, &store)?;
    let plat = match &a.platform {
        Some(p) => Platform::parse(p)?,
        None => Platform::host(),
    };
    let source = if a.source == "-" {
        ImportSource::Reader(Box::new(std::io::stdin()))
    } else {
        let p = PathBuf::from(&a.source);
        if !p.exists() {
            bail!(
                "import source {:?} does not exist: give a tarball, a directory, or - for stdin",
                a.source
            );
        }
        ImportSource::Path(p)
    };
    let opts = ImportOptions {
        reference: reference.as_ref(),
        changes: &a.change,
        message: a.message.as_deref(),
        platform: plat,
        unpack: &unpack,
    };
    let rec = crate::image::archive::import(&store, source, &opts)?;
    match ctx.flavor {
        Flavor::Docker => println!("{}", rec.id),
        Flavor::Skiff => println!("{}", rec.id.hex()),
    }
    Ok(0)
}

pub fn save(ctx: &Ctx, a: SaveArgs) -> anyhow::Result<u8> {
    use crate::image::archive::ArchiveFormat;
    let format = match a.format.as_str() {
        "docker-archive" | "docker" => ArchiveFormat::DockerArchive,
        "oci-archive" | "oci" => ArchiveFormat::OciArchive,
        other => bail!("invalid --format {other:?}: use docker-archive or oci-archive"),
    };
    let store = ctx.store()?;
    let search = search_registries(ctx);
    let mut list = Vec::new();
    for name in &a.images {
        let rec = store.resolve(name, &search)?;
        let named =
            if crate::image::reference::looks_like_image_id(name.trim_start_matches("sha256:")) {
                None
            } else {
                Reference::parse(name)
                    .ok()
                    .filter(|r| rec.names.contains(&r.to_string()))
            };
        list.push((rec, named));
    }
    match &a.output {
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let mut tmp = tempfile::Builder::new()
                .prefix(".skiff-save-")
                .tempfile_in(dir)
                .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
            {
                let mut w = std::io::BufWriter::new(tmp.as_file_mut());
                crate::image::archive::save(&store, &list, format, &mut w)?;
                w.flush()?;
            }
            // tempfile creates 0600; an archive is an ordinary file (0666 & ~umask).
            let umask = crate::sys::current_umask();
            std::fs::set_permissions(
                tmp.path(),
                std::os::unix::fs::PermissionsExt::from_mode(0o666 & !umask),
            )?;
            tmp.persist(path)
                .with_context(|| format!("writing {}", path.display()))?;
        }
        None => {
            let stdout = std::io::stdout();
            if stdout.is_terminal() {
                bail!("refusing to write an archive to a terminal: use -o FILE or redirect stdout");
            }
            let mut w = std::io::BufWriter::new(stdout.lock());
            crate::image::archive::save(&store, &list, format, &mut w)?;
            w.flush()?;
        }
    }
    Ok(0)
}

pub fn load(ctx: &Ctx, a: LoadArgs) -> anyhow::Result<u8> {
    let store = ctx.store()?;
    let _gc = store.gc_shared()?;
    let unpack = unpack_options(ctx, &store)?;
    let mut input: Box<dyn Read> = match &a.input {
        Some(p) => {
            Box::new(std::fs::File::open(p).with_context(|| format!("opening {}", p.display()))?)
        }
        None => {
            if std::io::stdin().is_terminal() {
                bail!("no archive given: use -i FILE or pipe an archive to stdin");
            }
            Box::new(std::io::stdin())
        }
    };
    let recs = crate::image::archive::load(&store, &mut input, &unpack)?;
    for rec in recs {
        if rec.names.is_empty() {
            println!("Loaded image ID: {}", rec.id);
        }
        for n in &rec.names {
            println!("Loaded image: {}", display_name(ctx, n));
        }
    }
    Ok(0)
}
