//! Running the service: load and verify the pack, open the record store, start the writer,
//! listen, reload the pack on SIGHUP, stop on SIGINT/SIGTERM after answering the requests in
//! flight.

use std::net::SocketAddr;
use std::sync::Arc;

use crate::api::{Limits, router};
use crate::pack::{LoadedPack, PackSource, SharedPack};
use crate::recorded::AppState;
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
    let cpu = crate::cpu::CpuPool::new(config.limits.workers, config.limits.queue);
    let state = AppState { pack: Arc::clone(&pack), recorder, cpu };
    let app = router(state, config.limits);
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    ready(listener.local_addr()?);
    tokio::spawn(reload_on_sighup(pack));
    accept_loop(listener, app, config.limits).await;
    Ok(())
}

/// Accepts connections until SIGINT/SIGTERM, then lets the requests in flight finish (at most
/// the request time limit more). HTTP/1.1 with a header read timeout: a client that sends its
/// request line and headers slower than [`Limits::header_time`] is disconnected (axum's own
/// `serve` sets no timer, so hyper would wait for ever).
async fn accept_loop(listener: tokio::net::TcpListener, app: axum::Router, limits: crate::api::Limits) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    use hyper_util::service::TowerToHyperService;

    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_time).keep_alive(true);
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(shutdown());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of file descriptors and the like: wait a little, go on.
                        eprintln!("accept: {e}");
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let service = TowerToHyperService::new(app.clone());
                let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
            _ = &mut stop => break,
        }
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(limits.request_time) => {}
    }
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
                let info = &new.rules().pack();
                eprintln!("reloaded rule pack {} {} sha256 {}", info.name, info.version, info.sha256);
            }
            Ok(Err(e)) => {
                let old = pack.get();
                eprintln!(
                    "reload refused: {e}; still serving {} sha256 {}",
                    old.rules().pack().name,
                    old.rules().pack().sha256
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
