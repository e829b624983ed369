//! Shared pieces of the transform property tests: a seeded generator, random composite
//! functions rendered as Python source, and a harness that runs cells and shrinks failures.

pub mod harness;
pub mod program;
pub mod rng;
