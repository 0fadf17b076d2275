//! A small work pool: items processed on N threads, results handed to the caller's thread in
//! completion order (for progress), a panic in one item isolated as that item's failure.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Processes `items` with `work` on `jobs` threads; `done(index, &result)` is called on the
/// calling thread as each item finishes. Returns the results in item order; an item whose
/// work panicked gets `Err` with the panic message.
pub fn run<T, R>(
    items: &[T],
    jobs: usize,
    work: impl Fn(&T) -> R + Sync,
    mut done: impl FnMut(usize, &Result<R, String>),
) -> Vec<Result<R, String>>
where
    T: Sync,
    R: Send,
{
    let mut results: Vec<Option<Result<R, String>>> = (0..items.len()).map(|_| None).collect();
    for_each(items, jobs, work, |i, result| {
        done(i, &result);
        results[i] = Some(result);
    });
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("未处理".to_owned())))
        .collect()
}

/// Processes `items` with `work` on `jobs` threads and hands each result, owned, to `consume`
/// on the calling thread as it finishes (in completion order): nothing is kept, so memory
/// stays flat however many items there are. A panic in `work` is that item's `Err`.
pub fn for_each<T, R>(
    items: &[T],
    jobs: usize,
    work: impl Fn(&T) -> R + Sync,
    mut consume: impl FnMut(usize, Result<R, String>),
) where
    T: Sync,
    R: Send,
{
    let next = AtomicUsize::new(0);
    // A bounded channel: workers wait while the consumer catches up.
    let (tx, rx) = mpsc::sync_channel::<(usize, Result<R, String>)>(jobs.max(1) * 2);
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, items.len().max(1)) {
            let tx = tx.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = catch_unwind(AssertUnwindSafe(|| work(item)))
                        .map_err(|panic| panic_text(panic.as_ref()));
                    if tx.send((i, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (i, result) in rx {
            consume(i, result);
        }
    });
}

/// Runs `beside` on a thread of its own while `here` runs on the calling thread, and returns
/// both results (two cores: the two take the time of the longer). Where no thread can be
/// made, `beside` runs after `here` on the calling thread. A panic in either goes on as it
/// would on one thread.
pub fn both<A, B, F>(beside: F, here: impl FnOnce() -> B) -> (A, B)
where
    A: Send,
    F: FnOnce() -> A + Send,
{
    std::thread::scope(|scope| {
        // The work goes to the thread through a channel: if the thread cannot be made, or is
        // gone, the work comes back and runs here.
        let (tx, rx) = mpsc::sync_channel::<F>(1);
        let thread = std::thread::Builder::new()
            .spawn_scoped(scope, move || rx.recv().ok().map(|work| work()))
            .ok();
        let left = match &thread {
            Some(_) => tx.send(beside).err().map(|mpsc::SendError(work)| work),
            None => Some(beside),
        };
        drop(tx);
        let b = here();
        let done = thread.and_then(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        let a = match (done, left) {
            (Some(a), _) => a,
            (None, Some(work)) => work(),
            // The thread took the work and gave nothing back: it panicked, and that panic went
            // on above.
            (None, None) => unreachable!("the work ran on its thread or here"),
        };
        (a, b)
    })
}

/// The message of a panic payload (`panic!("…")`'s text), or 未知错误.
pub fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "未知错误".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_in_order_and_panics_isolated() {
        let items: Vec<u32> = (0..100).collect();
        let mut seen = 0;
        let results = run(
            &items,
            4,
            |&i| {
                if i == 42 {
                    panic!("boom {i}");
                }
                i * 2
            },
            |_, _| seen += 1,
        );
        assert_eq!(seen, 100);
        assert_eq!(results[10], Ok(20));
        assert_eq!(results[42], Err("boom 42".to_owned()));
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 99);
    }

    #[test]
    fn both_run_once_each_and_panics_go_on() {
        let (a, b) = both(|| vec![1; 3], || 7);
        assert_eq!((a, b), (vec![1, 1, 1], 7));
        let beside = std::panic::catch_unwind(|| both(|| panic!("beside"), || 1));
        assert_eq!(panic_text(beside.unwrap_err().as_ref()), "beside");
        let here = std::panic::catch_unwind(|| both(|| 1, || -> u8 { panic!("here") }));
        assert_eq!(panic_text(here.unwrap_err().as_ref()), "here");
    }
}
