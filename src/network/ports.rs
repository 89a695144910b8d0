//! `-p/--publish` and `-P`: parsing Docker's port syntax, picking free host
//! ports, and refusing a host port that is already taken before anything
//! starts.
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, UdpSocket};

use serde::{Deserialize, Serialize};

use super::NetworkError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Proto {
    #[default]
    Tcp,
    Udp,
}

impl Proto {
    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
        }
    }
}

/// One published port: host side (address may be empty: all) and the
/// container's port.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortMapping {
    #[serde(default)]
    pub host_ip: String,
    pub host_port: u16,
    pub container_port: u16,
    #[serde(default)]
    pub protocol: Proto,
}

impl PortMapping {
    /// Docker's `ps` form: `0.0.0.0:8080->80/tcp`.
    pub fn display(&self) -> String {
        let ip = if self.host_ip.is_empty() {
            "0.0.0.0"
        } else {
            &self.host_ip
        };
        format!(
            "{ip}:{}->{}/{}",
            self.host_port,
            self.container_port,
            self.protocol.as_str()
        )
    }
}

fn bad(spec: &str, why: &str) -> NetworkError {
    NetworkError::Invalid(format!(
        "invalid --publish {spec:?}: {why}; expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/tcp|/udp]"
    ))
}

fn port_range(spec: &str, s: &str) -> Result<(u16, u16), NetworkError> {
    let one = |p: &str| -> Result<u16, NetworkError> {
        match p.parse::<u16>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(bad(spec, &format!("{p:?} is not a port number (1-65535)"))),
        }
    };
    match s.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (one(a)?, one(b)?);
            if b < a {
                return Err(bad(spec, "a port range must go upwards"));
            }
            Ok((a, b))
        }
        None => {
            let p = one(s)?;
            Ok((p, p))
        }
    }
}

/// Parses one `-p` value into mappings (a range gives several). A missing
/// host port is 0: a free one is chosen at start.
pub fn parse_publish(spec: &str) -> Result<Vec<PortMapping>, NetworkError> {
    let (addr, proto) = match spec.rsplit_once('/') {
        Some((a, "tcp")) => (a, Proto::Tcp),
        Some((a, "udp")) => (a, Proto::Udp),
        Some((_, p)) => return Err(bad(spec, &format!("unknown protocol {p:?}"))),
        None => (spec, Proto::Tcp),
    };
    // An IPv6 host address is written in brackets: [::1]:8080:80.
    let (host_ip, rest) = if let Some(r) = addr.strip_prefix('[') {
        let (ip, rest) = r.split_once(']').ok_or_else(|| bad(spec, "unclosed '['"))?;
        (
            ip.to_string(),
            rest.strip_prefix(':').unwrap_or(rest).to_string(),
        )
    } else {
        let parts: Vec<&str> = addr.split(':').collect();
        match parts.len() {
            1 | 2 => (String::new(), addr.to_string()),
            3 => (parts[0].to_string(), format!("{}:{}", parts[1], parts[2])),
            _ => return Err(bad(spec, "too many ':'")),
        }
    };
    if !host_ip.is_empty() && host_ip.parse::<IpAddr>().is_err() {
        return Err(bad(spec, &format!("{host_ip:?} is not an IP address")));
    }
    let (host, ctr) = match rest.split_once(':') {
        Some((h, c)) => (Some(h), c),
        None => (None, rest.as_str()),
    };
    let (c0, c1) = port_range(spec, ctr)?;
    let host = match host {
        None | Some("") => None,
        Some(h) => Some(port_range(spec, h)?),
    };
    if let Some((h0, h1)) = host
        && h1 - h0 != c1 - c0
        && h0 != h1
    {
        return Err(bad(spec, "host and container port ranges differ in size"));
    }
    Ok((c0..=c1)
        .enumerate()
        .map(|(i, cp)| PortMapping {
            host_ip: host_ip.clone(),
            host_port: match host {
                None => 0,
                Some((h0, h1)) if h0 == h1 && c0 != c1 => 0,
                Some((h0, _)) => h0 + i as u16,
            },
            container_port: cp,
            protocol: proto,
        })
        .collect())
}

/// `-P`: every port the image exposes ("80/tcp"), on a free host port.
pub fn publish_all(exposed: &[String]) -> Result<Vec<PortMapping>, NetworkError> {
    let mut out = Vec::new();
    for e in exposed {
        let mut m = parse_publish(e)?;
        out.append(&mut m);
    }
    Ok(out)
}

fn bind_addr(m: &PortMapping) -> SocketAddr {
    let ip = m
        .host_ip
        .parse::<IpAddr>()
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    SocketAddr::new(ip, m.host_port)
}

/// The host side of a published port, bound.
pub enum HostSocket {
    Tcp(TcpListener),
    Udp(UdpSocket),
}

impl HostSocket {
    fn port(&self) -> std::io::Result<u16> {
        match self {
            HostSocket::Tcp(l) => l.local_addr(),
            HostSocket::Udp(s) => s.local_addr(),
        }
        .map(|a| a.port())
    }
}

/// Binds the host side of `m` (host port 0: a free one).
pub fn bind_host_io(m: &PortMapping) -> std::io::Result<HostSocket> {
    let a = bind_addr(m);
    Ok(match m.protocol {
        Proto::Tcp => HostSocket::Tcp(TcpListener::bind(a)?),
        Proto::Udp => HostSocket::Udp(UdpSocket::bind(a)?),
    })
}

/// [`bind_host_io`], a taken port being [`NetworkError::PortInUse`].
pub fn bind_host(m: &PortMapping) -> Result<HostSocket, NetworkError> {
    bind_host_io(m).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            NetworkError::PortInUse(m.display())
        } else {
            NetworkError::Invalid(format!("cannot publish {}: {e}", m.display()))
        }
    })
}

/// Fails with a clear message when a host port is taken; gives a free port
/// to every mapping without one.
pub fn reserve(maps: &mut [PortMapping]) -> Result<(), NetworkError> {
    for m in maps.iter_mut() {
        m.host_port = bind_host(m)?
            .port()
            .map_err(|e| NetworkError::Invalid(format!("cannot publish {}: {e}", m.display())))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(spec: &str) -> PortMapping {
        let mut v = parse_publish(spec).unwrap();
        assert_eq!(v.len(), 1, "{spec}");
        v.remove(0)
    }

    #[test]
    fn docker_forms() {
        let m = one("8080:80");
        assert_eq!(
            (m.host_port, m.container_port, m.protocol),
            (8080, 80, Proto::Tcp)
        );
        let m = one("127.0.0.1:8080:80/udp");
        assert_eq!(m.host_ip, "127.0.0.1");
        assert_eq!(m.protocol, Proto::Udp);
        let m = one("80");
        assert_eq!((m.host_port, m.container_port), (0, 80));
        let m = one("127.0.0.1::80");
        assert_eq!((m.host_ip.as_str(), m.host_port), ("127.0.0.1", 0));
        let m = one("[::1]:9000:90");
        assert_eq!(
            (m.host_ip.as_str(), m.host_port, m.container_port),
            ("::1", 9000, 90)
        );
        let v = parse_publish("8000-8002:9000-9002/tcp").unwrap();
        assert_eq!(
            v.iter()
                .map(|m| (m.host_port, m.container_port))
                .collect::<Vec<_>>(),
            vec![(8000, 9000), (8001, 9001), (8002, 9002)]
        );
        assert_eq!(one("8080:80").display(), "0.0.0.0:8080->80/tcp");
    }

    #[test]
    fn bad_forms_are_clear() {
        for bad in [
            "",
            "x",
            "0",
            "70000",
            "80/sctp",
            "1:2:3:4",
            "a.b:1:2",
            "9000-8000:1-2",
            "8000-8002:90-91",
        ] {
            let e = parse_publish(bad).unwrap_err().to_string();
            assert!(e.contains("--publish") && e.contains(bad), "{bad}: {e}");
        }
    }

    #[test]
    fn reserve_picks_free_ports_and_refuses_taken_ones() {
        let mut v = parse_publish("127.0.0.1::80").unwrap();
        reserve(&mut v).unwrap();
        assert_ne!(v[0].host_port, 0);
        let busy = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = busy.local_addr().unwrap().port();
        let mut v = parse_publish(&format!("127.0.0.1:{port}:80")).unwrap();
        let e = reserve(&mut v).unwrap_err().to_string();
        assert!(
            e.contains(&port.to_string()) && e.contains("already in use"),
            "{e}"
        );
    }
}
