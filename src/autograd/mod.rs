//! Reverse-mode automatic differentiation on top of `array`.
//!
//! A `Tensor` is a shared handle on an `NdArray` plus autograd metadata. Every op in `ops`
//! computes its forward value with an `array` kernel and, when grad mode is on and an input
//! requires grad, records a `Node` whose backward closure is written with differentiable
//! tensor ops, so running backward with `create_graph=True` builds a graph of its own and
//! derivatives of any order need no special case.

pub mod anomaly;
pub mod batching;
pub mod custom;
mod engine;
pub mod forward;
pub mod functional;
mod grad_mode;
mod graph;
pub mod node_meta;
pub mod observer;
pub mod ops;
pub mod saved;
mod tensor;

pub use engine::{backward, grad};
pub use grad_mode::{
    GradModeGuard, InferenceModeGuard, is_grad_enabled, is_inference_mode_enabled, set_grad_enabled,
};
pub use graph::{Edge, Node};
pub use ops::TensorIndex;
pub use tensor::{Hook, PostAccumulateHook, Tensor};

#[cfg(test)]
mod gradcheck;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_extra;
#[cfg(test)]
mod tests_graph;
