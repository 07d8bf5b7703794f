//! Links the `guanai` program at a fixed address on Linux with glibc (not position-independent).
//!
//! Why: a position-independent program is relocated by the loader at every start. Here that is
//! 22,000 pointers in tables (the pinyin tables of search, the encodings' names, the vtables),
//! which the loader writes into 96 pages, each copied before it is written: about 0.3 ms and
//! 95 page faults on every command, a tenth of `overdue`'s work at 10,000 children
//! (docs/performance.md). Linked at a fixed address, those tables are read from the file
//! when they are used, and never written.
//!
//! The trade: the program's own code and tables are not placed at a random address; the
//! libraries, the heap and the stack still are. The code is compiled position-independent as
//! before; only the link changes, and only for the program, not the tests. A school that
//! prefers the program placed at random too builds it with `GUANAI_PIE=1` in the environment.
//! Left alone: other C libraries (musl) and static builds (`+crt-static`), where the C
//! compiler is asked for a static position-independent program and `-no-pie` would cancel it.
//!
//! It must not do anything else: no code generation, no network, no files.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=GUANAI_PIE");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let static_build = var("CARGO_CFG_TARGET_FEATURE")
        .split(',')
        .any(|f| f == "crt-static");
    if var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && !static_build
        && std::env::var_os("GUANAI_PIE").is_none()
    {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
