//! Container IDs and names: random 64-hex IDs, Docker-style generated names
//! (`adjective_surname`) and the name rule Docker enforces.
use rand::Rng as _;
use rand::RngCore as _;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NameError {
    #[error(
        "invalid container name {0:?}: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]+ (at least two characters)"
    )]
    Invalid(String),
}

/// A new 64-character lowercase hex ID from the OS RNG. Like Docker, an ID
/// whose 12-character short form is all digits is drawn again, so a short ID
/// can never be mistaken for a number (a PID, an index).
pub fn new_id() -> String {
    loop {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let id = hex::encode(bytes);
        if !id[..12].bytes().all(|b| b.is_ascii_digit()) {
            return id;
        }
    }
}

/// True if `name` follows Docker's rule for container (and volume) names:
/// `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
pub fn is_valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphanumeric()
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

pub fn validate_name(name: &str) -> Result<(), NameError> {
    if is_valid_name(name) {
        Ok(())
    } else {
        Err(NameError::Invalid(name.to_string()))
    }
}

/// A free `adjective_surname` name. A few random draws first; when those are
/// all taken, numbered variants (`adjective_surname2`, `3`, ...) of one draw,
/// which ends for any finite set of taken names.
pub fn generate_name(taken: &dyn Fn(&str) -> bool) -> String {
    let mut rng = rand::thread_rng();
    let mut draw = || {
        format!(
            "{}_{}",
            ADJECTIVES[rng.gen_range(0..ADJECTIVES.len())],
            SURNAMES[rng.gen_range(0..SURNAMES.len())]
        )
    };
    for _ in 0..10 {
        let name = draw();
        if !taken(&name) {
            return name;
        }
    }
    let base = draw();
    (2u64..)
        .map(|n| format!("{base}{n}"))
        .find(|n| !taken(n))
        .unwrap_or(base)
}

const ADJECTIVES: &[&str] = &[
    "agile",
    "amber",
    "ample",
    "ardent",
    "astute",
    "audacious",
    "balmy",
    "bold",
    "brave",
    "breezy",
    "bright",
    "brisk",
    "calm",
    "candid",
    "careful",
    "cheerful",
    "clever",
    "cosmic",
    "crisp",
    "curious",
    "daring",
    "dazzling",
    "deft",
    "diligent",
    "dreamy",
    "eager",
    "earnest",
    "elated",
    "eloquent",
    "fearless",
    "festive",
    "fluent",
    "focused",
    "frank",
    "friendly",
    "gallant",
    "gentle",
    "gifted",
    "glad",
    "graceful",
    "happy",
    "hardy",
    "hearty",
    "honest",
    "humble",
    "jolly",
    "jovial",
    "keen",
    "kind",
    "lively",
    "loyal",
    "lucid",
    "lucky",
    "merry",
    "mellow",
    "mindful",
    "modest",
    "nimble",
    "noble",
    "patient",
    "peaceful",
    "placid",
    "plucky",
    "polite",
    "proud",
    "quick",
    "quiet",
    "radiant",
    "rapid",
    "ready",
    "serene",
    "sharp",
    "shiny",
    "sincere",
    "snappy",
    "spry",
    "steady",
    "stoic",
    "sunny",
    "swift",
    "tender",
    "thrifty",
    "tidy",
    "tranquil",
    "trusty",
    "upbeat",
    "valiant",
    "vibrant",
    "vivid",
    "warm",
    "witty",
    "zealous",
    "zesty",
];

/// Scientists, engineers and mathematicians.
const SURNAMES: &[&str] = &[
    "agnesi",
    "khwarizmi",
    "archimedes",
    "babbage",
    "banach",
    "bardeen",
    "bell",
    "bernoulli",
    "bohr",
    "boole",
    "born",
    "bose",
    "brahe",
    "cantor",
    "carnot",
    "cauchy",
    "cavendish",
    "cerf",
    "chandrasekhar",
    "clarke",
    "curie",
    "darwin",
    "dijkstra",
    "dirac",
    "euclid",
    "euler",
    "faraday",
    "fermat",
    "fermi",
    "feynman",
    "fibonacci",
    "fourier",
    "franklin",
    "galileo",
    "galois",
    "gauss",
    "germain",
    "goodall",
    "hamilton",
    "hamming",
    "hawking",
    "heisenberg",
    "hilbert",
    "hodgkin",
    "hopper",
    "hubble",
    "huygens",
    "hypatia",
    "jackson",
    "johnson",
    "joule",
    "kepler",
    "knuth",
    "kovalevskaya",
    "lamarr",
    "laplace",
    "lavoisier",
    "leibniz",
    "liskov",
    "lovelace",
    "maxwell",
    "meitner",
    "mendel",
    "mirzakhani",
    "morse",
    "newton",
    "noether",
    "ohm",
    "pascal",
    "pasteur",
    "pauli",
    "planck",
    "poincare",
    "ramanujan",
    "ritchie",
    "riemann",
    "rutherford",
    "sagan",
    "shannon",
    "somerville",
    "tesla",
    "thompson",
    "torvalds",
    "turing",
    "volta",
    "watt",
    "wiles",
    "wozniak",
    "wu",
    "yalow",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::HashSet;

    #[test]
    fn ids_are_64_lowercase_hex_and_distinct() {
        let a = new_id();
        let b = new_id();
        assert_eq!(a.len(), 64);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        );
        assert!(!a[..12].bytes().all(|c| c.is_ascii_digit()));
        assert_ne!(a, b);
    }

    #[test]
    fn word_lists_are_large_unique_and_valid() {
        assert!(ADJECTIVES.len() >= 80 && SURNAMES.len() >= 80);
        for list in [ADJECTIVES, SURNAMES] {
            let set: HashSet<_> = list.iter().collect();
            assert_eq!(set.len(), list.len(), "duplicate word");
            assert!(
                list.iter()
                    .all(|w| w.bytes().all(|c| c.is_ascii_lowercase()))
            );
        }
    }

    #[test]
    fn generated_names_are_valid_and_avoid_taken() {
        let n = generate_name(&|_| false);
        let (adj, name) = n.split_once('_').unwrap();
        assert!(ADJECTIVES.contains(&adj) && SURNAMES.contains(&name), "{n}");
        validate_name(&n).unwrap();

        // Every plain name taken: falls back to a numbered one.
        let asked = RefCell::new(Vec::new());
        let n = generate_name(&|c: &str| {
            asked.borrow_mut().push(c.to_string());
            !c.ends_with(|ch: char| ch.is_ascii_digit()) || c.ends_with('2') || c.ends_with('3')
        });
        assert!(n.ends_with('4'), "{n}");
        assert_eq!(asked.borrow().len(), 13);
        validate_name(&n).unwrap();
    }

    #[test]
    fn name_rule_matches_docker() {
        for ok in ["ab", "a1", "web.1", "my_app-2", "9lives", "A.B_C-d"] {
            validate_name(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        for bad in [
            "", "a", "_ab", "-ab", ".ab", "a b", "a/b", "/ab", "héllo", "a:b",
        ] {
            let e = validate_name(bad).unwrap_err();
            assert!(e.to_string().contains(&format!("{bad:?}")), "{e}");
        }
    }
}
