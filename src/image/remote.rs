//! Everything needed to reach a registry for a reference: registries.conf
//! rewrites and mirrors, insecure settings, credentials, the HTTP transport.
use crate::config::registries::{Endpoint, RegistriesConfig};
use crate::image::ImageError;
use crate::image::auth::{AuthStore, Credentials};
use crate::image::reference::Reference;
use crate::image::registry::{HostOptions, RegistryError, Session, Transport};

pub struct Remote {
    pub transport: Transport,
    pub registries: RegistriesConfig,
    pub auth: AuthStore,
    /// `--tls-verify=false` (Some(false)) forces insecure; Some(true) forbids the
    /// plain-HTTP fallback even for loopback.
    pub tls_verify: Option<bool>,
    /// `--creds user:pass`, used instead of stored credentials.
    pub creds: Option<Credentials>,
}

impl Remote {
    pub fn new(
        registries: RegistriesConfig,
        auth: AuthStore,
        tls_verify: Option<bool>,
        creds: Option<Credentials>,
    ) -> Result<Remote, ImageError> {
        Ok(Remote {
            transport: Transport::new()?,
            registries,
            auth,
            tls_verify,
            creds,
        })
    }

    fn credentials(&self, host: &str) -> Result<Option<Credentials>, ImageError> {
        if let Some(c) = &self.creds {
            return Ok(Some(c.clone()));
        }
        Ok(self.auth.lookup(host)?)
    }

    pub fn host_options(&self, endpoint_insecure: bool) -> HostOptions {
        HostOptions {
            insecure: match self.tls_verify {
                Some(false) => true,
                Some(true) => false,
                None => endpoint_insecure,
            },
            require_tls: self.tls_verify == Some(true),
        }
    }

    /// Endpoints to try for `r`, mirrors first.
    pub fn endpoints(&self, r: &Reference) -> Result<Vec<Endpoint>, ImageError> {
        Ok(self.registries.endpoints(r)?)
    }

    /// Opens a session on one endpoint.
    pub async fn session(&self, ep: &Endpoint, push: bool) -> Result<Session<'_>, RegistryError> {
        let creds = self
            .credentials(&ep.host)
            .map_err(|e| RegistryError::Login {
                host: ep.host.clone(),
                reason: e.to_string(),
            })?;
        Session::connect(
            &self.transport,
            &ep.host,
            &ep.repository,
            &self.host_options(ep.insecure),
            creds,
            push,
        )
        .await
    }
}
