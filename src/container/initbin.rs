//! TEMP stub
pub fn install(d: &std::path::Path) -> Result<std::path::PathBuf, std::io::Error> {
    Ok(d.join("x"))
}
