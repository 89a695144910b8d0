//! TEMP stub
pub fn new_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}
pub fn generate_name(taken: &dyn Fn(&str) -> bool) -> String {
    for i in 0.. {
        let n = format!("ctr_{i}");
        if !taken(&n) {
            return n;
        }
    }
    unreachable!()
}
#[derive(Debug, thiserror::Error)]
#[error("bad name")]
pub struct NameError;
pub fn validate_name(_: &str) -> Result<(), NameError> {
    Ok(())
}
