//! A determination made and recorded (15 CFR 762) before it is answered: what the API's and
//! the page's handlers share.

use std::sync::Arc;

use axum::body::Bytes;

use crate::cpu::CpuPool;
use crate::determine::{determine, parse_request};
use crate::pack::{LoadedPack, SharedPack};
use crate::problem::Problem;
use crate::records::{NewRecord, Recorder};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The pack in force (reloaded on SIGHUP).
    pub pack: Arc<SharedPack>,
    /// The record writer.
    pub recorder: Recorder,
    /// Where the CPU-bound work of requests runs, off the async workers.
    pub cpu: CpuPool,
}

/// A determination made and recorded.
#[derive(Debug)]
pub struct Made {
    /// The request it answers.
    pub request: crate::determine::Request,
    /// The determination, when asked for ([`determine_and_record`]'s `written_out`).
    pub determination: Option<export_controls::Determination>,
    /// Its JSON, as sent (the bytes the record holds).
    pub json: Bytes,
    /// The record id.
    pub id: i64,
}

/// Parses a transaction body, determines it and records it; returns once the record is durable.
/// The determination's JSON is written straight from the explained form; the
/// [`export_controls::Determination`] is made too when `written_out` asks for it. Parsing,
/// evaluating, writing the JSON and compressing the record run on the [`CpuPool`], off the
/// async workers; when the request goes away meanwhile (the time limit answered it), they stop
/// between those steps and nothing is recorded. The pool's worker hands the record to the
/// writer itself ([`CpuPool::submit`], [`Recorder::submit_blocking`]), and the writer answers
/// the request: its task is woken once, when the record is durable.
///
/// # Errors
/// A [`Problem`] for a bad request, 503 with `Retry-After` when the pool is full, or 503 when
/// the record could not be written (then no determination may be given).
pub async fn determine_and_record(
    st: &AppState,
    pack: Arc<LoadedPack>,
    body: Bytes,
    written_out: bool,
) -> Result<Made, Problem> {
    let compress = st.recorder.store().compresses();
    let recorder = st.recorder.clone();
    // The determination made and recorded, and when the writer replied.
    let (tx, rx) = tokio::sync::oneshot::channel::<Result<(Made, std::time::Instant), Problem>>();
    let submitted = st.cpu.submit(
        move |cancel| -> Result<_, Problem> {
            // A request gone (time limit) stops here: after parsing, after evaluating (before
            // its JSON is written), before its record is compressed, before it is recorded.
            let request = parse_request(&pack, &body)?;
            cancel.check()?;
            let made = determine(&pack, &request, written_out, cancel)?;
            cancel.check()?;
            let json = Bytes::from(made.json);
            let record = NewRecord::of(&request, pack.rules().pack(), made.verdict, &json, compress)?;
            cancel.check()?;
            Ok((request, made.determination, json, record))
        },
        move |done| match done {
            Err(p) => {
                let _ = tx.send(Err(p));
            }
            Ok((request, determination, json, record)) => recorder.submit_blocking(record, move |written| {
                let _ = tx.send(match written {
                    Ok(id) => Ok((Made { request, determination, json, id }, std::time::Instant::now())),
                    Err(e) => {
                        Err(Problem::unavailable(format!("{e}; the determination was not recorded and is not given")))
                    }
                });
            }),
        },
    )?;
    let made = rx.await;
    submitted.done();
    // The sender dropped unsent: the work panicked (a bug) or was stopped; nothing was given.
    let (made, replied) = made.map_err(|_| {
        Problem::unavailable("the work of this request failed; the determination was not recorded and is not given")
    })??;
    st.recorder.answered(replied.elapsed());
    Ok(made)
}
