//! Two pieces of work run side by side, one on a second thread on another core: the overdue
//! queue's two halves of the roster and of its TSV, the summary's reading of its events beside
//! the files' facts, and its two terms' figures. It is for work of a few milliseconds, where
//! how soon both threads really run, each on its own core, matters as much as the work.
//!
//! On Linux a thread just created is put on its parent's core, and whichever of the two waits
//! there until the scheduler moves one: 0.6–2.3 ms on the 2-core machine the benchmarks run
//! on, as long as the work itself. And a thread that waits a moment (a lock inside the
//! database's page cache) is woken on the core of the thread that woke it, so the two ended
//! up sharing one core while the other idled. So for the time of the work each thread is
//! held to its own cores: the new one to all but the caller's, the caller to its own; the
//! caller steps aside once, in case the new thread was queued behind it; and the caller's
//! cores are given back after. On a machine (or a CPU set) of one core, or where the calls
//! fail, the two simply share.
//!
//! It must not hold anything across calls (no pool, no global state), and it does no I/O.

/// Runs `here` on this thread and `there` on a new one, and returns both results. A panic in
/// `there` goes on in the caller, as if it had happened here.
pub fn both<A, B>(here: impl FnOnce() -> A, there: impl FnOnce() -> B + Send) -> (A, B)
where
    B: Send,
{
    let cores = Cores::split();
    std::thread::scope(|s| {
        let handle = s.spawn(|| {
            if let Some(c) = &cores {
                c.hold_there();
            }
            there()
        });
        // Given back however `here` ends, a panic included.
        let _held = cores.as_ref().map(Cores::hold_here);
        let a = here();
        let b = handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    })
}

/// The cores this process may run on, and the caller's among them.
#[cfg(target_os = "linux")]
struct Cores {
    all: nix::sched::CpuSet,
    here: nix::sched::CpuSet,
    there: nix::sched::CpuSet,
}

#[cfg(target_os = "linux")]
impl Cores {
    /// `None` when there is no other core to use, or the cores cannot be known.
    fn split() -> Option<Cores> {
        use nix::sched::{CpuSet, sched_getaffinity, sched_getcpu};
        let all = sched_getaffinity(this_thread()).ok()?;
        let core = sched_getcpu().ok()?;
        if !all.is_set(core).ok()? {
            return None;
        }
        let mut here = CpuSet::new();
        here.set(core).ok()?;
        let mut there = all;
        there.unset(core).ok()?;
        let others = (0..CpuSet::count()).any(|c| there.is_set(c).unwrap_or(false));
        others.then_some(Cores { all, here, there })
    }

    /// Best effort, as the rest: a thread that cannot be moved stays where it is.
    fn hold_there(&self) {
        let _ = nix::sched::sched_setaffinity(this_thread(), &self.there);
    }

    /// Keeps the caller on its core until the guard is dropped, and lets a thread queued on
    /// it run first so that it can leave.
    fn hold_here(&self) -> HeldHere<'_> {
        let _ = nix::sched::sched_setaffinity(this_thread(), &self.here);
        let _ = nix::sched::sched_yield();
        HeldHere(self)
    }
}

/// Gives the caller all its cores back when dropped.
#[cfg(target_os = "linux")]
struct HeldHere<'c>(&'c Cores);

#[cfg(target_os = "linux")]
impl Drop for HeldHere<'_> {
    fn drop(&mut self) {
        let _ = nix::sched::sched_setaffinity(this_thread(), &self.0.all);
    }
}

/// The calling thread, as the affinity calls name it.
#[cfg(target_os = "linux")]
fn this_thread() -> nix::unistd::Pid {
    nix::unistd::Pid::from_raw(0)
}

#[cfg(not(target_os = "linux"))]
struct Cores;

#[cfg(not(target_os = "linux"))]
impl Cores {
    fn split() -> Option<Cores> {
        None
    }
    fn hold_there(&self) {}
    fn hold_here(&self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_results_come_back_each_from_its_own_work() {
        let words = ["甲", "乙", "丙"];
        let (a, b) = both(|| words[..1].concat(), || words[1..].concat());
        assert_eq!((a.as_str(), b.as_str()), ("甲", "乙丙"));
    }

    #[test]
    fn the_work_there_runs_on_another_thread() {
        let here = std::thread::current().id();
        let (a, b) = both(
            || std::thread::current().id(),
            || std::thread::current().id(),
        );
        assert_eq!(a, here);
        assert_ne!(b, here);
    }

    #[test]
    fn a_panic_there_goes_on_here() {
        let caught = std::panic::catch_unwind(|| {
            both(|| 1, || -> i32 { panic!("第二份出错") });
        });
        let message = caught
            .err()
            .and_then(|p| p.downcast_ref::<&str>().map(|s| s.to_string()));
        assert_eq!(message.as_deref(), Some("第二份出错"));
    }

    /// With two cores or more, the two pieces of work run on different ones: each thread is
    /// held to its own for the length of the work.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_two_run_on_different_cores() {
        if Cores::split().is_none() {
            eprintln!("one core: nothing to check");
            return;
        }
        for _ in 0..100 {
            let (here, there) = both(
                || nix::sched::sched_getcpu().unwrap(),
                || nix::sched::sched_getcpu().unwrap(),
            );
            assert_ne!(here, there);
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_panic_here_still_gives_the_cores_back() {
        let pid = this_thread();
        let before = nix::sched::sched_getaffinity(pid).unwrap();
        let caught = std::panic::catch_unwind(|| {
            both(|| -> i32 { panic!("这一份出错") }, || 2);
        });
        assert!(caught.is_err());
        assert_eq!(nix::sched::sched_getaffinity(pid).unwrap(), before);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_caller_has_all_its_cores_back_after() {
        let pid = this_thread();
        let before = nix::sched::sched_getaffinity(pid).unwrap();
        let (during, ()) = both(|| nix::sched::sched_getaffinity(pid).unwrap(), || ());
        let after = nix::sched::sched_getaffinity(pid).unwrap();
        let count = |s: &nix::sched::CpuSet| {
            (0..nix::sched::CpuSet::count())
                .filter(|c| s.is_set(*c).unwrap())
                .count()
        };
        assert_eq!(after, before);
        if count(&before) > 1 {
            assert_eq!(
                count(&during),
                1,
                "held to its own core while the work runs"
            );
        }
    }
}
