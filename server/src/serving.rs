//! Serving connections: each connection lives on one thread from accept to close.
//!
//! Why not the usual `axum::serve` on tokio's multi-threaded runtime: during server
//! rendering, Leptos' reactive graph (reactive_graph 0.2.16) can deadlock when two threads
//! work on the same page at once. One thread re-runs a Suspense boundary's effect and,
//! holding the effect's lock, wants a resource's lock; the other starts that resource,
//! holding the resource's lock, and wants the effect's lock to wake it. Both block forever and
//! the whole server stops answering (seen in the browser tests, 3 of 4 runs crawling the
//! admin pages; thread dump in docs/testing.md; upstream: leptos-rs/leptos#4673). A page's
//! reactive graph is its own, so it cannot deadlock when everything of one request runs on
//! one thread. Here one accepting task hands each connection to one of N single-threaded
//! runtimes (N = cores); the page's render, its resources and their spawned tasks all run
//! there. The cores stay busy as before: N connections render in parallel.

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use axum::serve::{Listener, ListenerExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};

/// Connections waiting for their thread; beyond this the acceptor waits (backpressure).
const QUEUE: usize = 256;

/// The receiving end of one serving thread: connections handed over by the acceptor.
struct Handoff {
    connections: mpsc::Receiver<(std::net::TcpStream, SocketAddr)>,
    local: SocketAddr,
}

impl Listener for Handoff {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        loop {
            match self.connections.recv().await {
                // Registered with this thread's runtime, so its I/O is driven here.
                Some((stream, peer)) => match TcpStream::from_std(stream) {
                    Ok(stream) => return (stream, peer),
                    Err(err) => tracing::warn!(error = %err, "connection not taken over"),
                },
                // The acceptor is gone: no more connections; shutdown ends this thread.
                None => std::future::pending::<()>().await,
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.local)
    }
}

/// Serves `router` on `listener` with `threads` single-threaded runtimes until `shutdown`
/// completes; then each thread finishes its open requests (graceful shutdown) and ends.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    threads: usize,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut queues = Vec::new();
    let mut finished = Vec::new();
    for n in 0..threads.max(1) {
        let (tx, rx) = mpsc::channel(QUEUE);
        let (done_tx, done_rx) = tokio::sync::oneshot::channel::<Result<(), String>>();
        let router = router.clone();
        let stop = stop_rx.clone();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        std::thread::Builder::new()
            .name(format!("dorfplatz-http-{n}"))
            .spawn(move || {
                let result = runtime.block_on(serve_thread(rx, local, router, stop));
                let _ = done_tx.send(result);
            })
            .map_err(|e| e.to_string())?;
        queues.push(tx);
        finished.push(done_rx);
    }

    let mut listener = listener;
    let mut next = 0usize;
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            // `Listener::accept` retries on errors such as too many open files.
            (stream, peer) = Listener::accept(&mut listener) => {
                let Ok(stream) = stream.into_std() else { continue };
                // Round robin; a connection keeps its thread for all its requests.
                let queue = &queues[next % queues.len()];
                next = next.wrapping_add(1);
                if queue.send((stream, peer)).await.is_err() {
                    return Err("ein Server-Thread ist beendet".into());
                }
            }
            () = &mut shutdown => break,
        }
    }
    let _ = stop_tx.send(true);
    drop(queues);
    for done in finished {
        done.await.map_err(|e| e.to_string())??;
    }
    Ok(())
}

async fn serve_thread(
    connections: mpsc::Receiver<(std::net::TcpStream, SocketAddr)>,
    local: SocketAddr,
    router: Router,
    mut stop: watch::Receiver<bool>,
) -> Result<(), String> {
    let listener = Handoff { connections, local }
        // axum 0.8 no longer disables Nagle; small responses would wait ~40 ms for ACKs.
        .tap_io(|tcp| {
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::warn!(error = %err, "TCP_NODELAY could not be set");
            }
        });
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        // Ends on the stop signal, and also when the acceptor's side is dropped (a test's
        // runtime ending).
        let _ = stop.wait_for(|stop| *stop).await;
    })
    .await
    .map_err(|e| e.to_string())
}

/// How many serving threads: one per core the process may use.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}
