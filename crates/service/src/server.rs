//! Running the service: load and verify the pack, open the record store, start the writer,
//! listen, reload the pack on SIGHUP, stop on SIGINT/SIGTERM after answering the requests in
//! flight.

use std::net::SocketAddr;
use std::sync::Arc;

use crate::api::{AppState, Limits, router};
use crate::pack::{LoadedPack, PackSource, SharedPack};
use crate::records::{self, Recorder};

/// How to run the service.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to listen on, e.g. `127.0.0.1:8080` (port 0: any free port).
    pub addr: SocketAddr,
    /// The pack and catalog.
    pub source: PackSource,
    /// The record store: `sqlite:PATH` (or a path) or `postgres://...`.
    pub database: String,
    /// Request limits.
    pub limits: Limits,
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The pack was refused.
    #[error("rule pack refused: {0}")]
    Pack(#[from] crate::pack::PackError),
    /// The store did not open.
    #[error("{0}")]
    Store(#[from] records::StoreError),
    /// The address could not be bound, or the server failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Starts the service and runs it until SIGINT or SIGTERM. `ready` is called with the bound
/// address once the service accepts connections (the line a supervisor or test waits for).
///
/// # Errors
/// [`ServeError`] when the pack is refused, the store does not open or the address is taken.
pub async fn serve(config: ServeConfig, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let source = config.source.clone();
    let loaded = tokio::task::spawn_blocking(move || LoadedPack::load(&source))
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))??;
    let pack = Arc::new(SharedPack::new(loaded));
    let store = records::open(&config.database).await?;
    let recorder = Recorder::start(store);
    let state = AppState { pack: Arc::clone(&pack), recorder };
    let app = router(state, config.limits);
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    ready(listener.local_addr()?);
    tokio::spawn(reload_on_sighup(pack));
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
    Ok(())
}

/// On each SIGHUP, loads the pack again; a pack that fails to load or verify is refused and the
/// old one keeps serving. Outcomes go to standard error.
async fn reload_on_sighup(pack: Arc<SharedPack>) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut hup) = signal(SignalKind::hangup()) else {
        eprintln!("warning: cannot listen for SIGHUP; the pack will not be reloaded");
        return;
    };
    while hup.recv().await.is_some() {
        let p = Arc::clone(&pack);
        match tokio::task::spawn_blocking(move || p.reload()).await {
            Ok(Ok(new)) => {
                let info = &new.rules().pack;
                eprintln!("reloaded rule pack {} {} sha256 {}", info.name, info.version, info.sha256);
            }
            Ok(Err(e)) => {
                let old = pack.get();
                eprintln!(
                    "reload refused: {e}; still serving {} sha256 {}",
                    old.rules().pack.name,
                    old.rules().pack.sha256
                );
            }
            Err(e) => eprintln!("reload failed: {e}"),
        }
    }
}

async fn shutdown() {
    use tokio::signal::unix::{SignalKind, signal};
    let term = async {
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
}
