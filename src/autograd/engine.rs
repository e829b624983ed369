//! The backward engine. Nodes run in decreasing creation order, which is a topological order
//! of the graph (a node's inputs always existed before it) and the order PyTorch's CPU ready
//! queue uses, so gradients are summed in the same order as in PyTorch.

use super::grad_mode::GradModeGuard;
use super::graph::{Edge, Node};
use super::ops;
use super::tensor::Tensor;
use crate::array::NdArray;
use crate::error::{PyResult, runtime_error};
use std::collections::BTreeMap;
use std::rc::Rc;

fn size_repr(shape: &[usize]) -> String {
    format!(
        "torch.Size([{}])",
        shape
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Pairs each output with its initial gradient (implicit ones for scalars).
fn root_grads(outputs: &[Tensor], grads: &[Option<Tensor>]) -> PyResult<Vec<(Edge, Tensor)>> {
    if !grads.is_empty() && grads.len() != outputs.len() {
        return Err(runtime_error(format!(
            "grad requires one gradient per output: got {} tensors and {} gradients",
            outputs.len(),
            grads.len()
        )));
    }
    let mut roots = Vec::new();
    for (i, out) in outputs.iter().enumerate() {
        let edge = out.edge().ok_or_else(|| {
            runtime_error(format!(
                "element {} of tensors does not require grad and does not have a grad_fn",
                i
            ))
        })?;
        let g = match grads.get(i).cloned().flatten() {
            Some(g) => {
                if g.shape() != out.shape() {
                    return Err(runtime_error(format!(
                        "Mismatch in shape: grad_output[{}] has a shape of {} and output[{}] has a shape of {}.",
                        i,
                        size_repr(&g.shape()),
                        i,
                        size_repr(&out.shape())
                    )));
                }
                g
            }
            None => {
                if out.numel() != 1 {
                    return Err(runtime_error(
                        "grad can be implicitly created only for scalar outputs",
                    ));
                }
                Tensor::new(NdArray::full(&out.shape(), 1.0, out.dtype()))
            }
        };
        roots.push((edge, g));
    }
    Ok(roots)
}

/// What a run delivers: leaf accumulation into `.grad` (backward) or captured gradients for
/// chosen inputs (autograd.grad).
enum Mode<'a> {
    Accumulate(Option<&'a [Tensor]>),
    Capture(&'a [Tensor]),
}

fn node_key(node: &Rc<Node>) -> u64 {
    node.seq
}

/// Sums gradient contributions in arrival order (differentiably when grad mode is on).
fn accumulate(slot: &mut Option<Tensor>, g: Tensor) -> PyResult<()> {
    *slot = Some(match slot.take() {
        None => g,
        Some(prev) => ops::add(&prev, &g, 1.0)?,
    });
    Ok(())
}

/// Reduces/casts a gradient to the shape and dtype its destination expects.
fn conform(g: Tensor, shape: &[usize], dtype: crate::array::DType) -> PyResult<Tensor> {
    let mut g = g;
    if g.shape() != shape {
        let expandable = crate::array::broadcast_shapes(shape, &g.shape())
            .map(|b| b == g.shape())
            .unwrap_or(false);
        if !expandable {
            return Err(runtime_error(format!(
                "Function backward returned an invalid gradient - got {:?} but expected shape compatible with {:?}",
                g.shape(),
                shape
            )));
        }
        g = ops::sum_to(&g, shape)?;
    }
    if g.dtype() != dtype {
        g = ops::to_dtype(&g, dtype)?;
    }
    Ok(g)
}

fn run(
    roots: Vec<(Edge, Tensor)>,
    mode: Mode<'_>,
    retain_graph: bool,
    create_graph: bool,
) -> PyResult<Vec<Option<Tensor>>> {
    let _guard = GradModeGuard::new(create_graph);
    let observers = super::observer::current();

    // Discover the graph.
    let mut nodes: BTreeMap<u64, Rc<Node>> = BTreeMap::new();
    let mut stack: Vec<Rc<Node>> = roots
        .iter()
        .filter_map(|(e, _)| match e {
            Edge::Node { node, .. } => Some(node.clone()),
            Edge::Leaf(_) => None,
        })
        .collect();
    while let Some(n) = stack.pop() {
        if nodes.contains_key(&node_key(&n)) {
            continue;
        }
        for e in n.edges.iter().flatten() {
            if let Edge::Node { node, .. } = e {
                stack.push(node.clone());
            }
        }
        nodes.insert(node_key(&n), n);
    }

    // Targets: leaves by identity, non-leaves by (node, output).
    let targets: &[Tensor] = match mode {
        Mode::Capture(t) => t,
        Mode::Accumulate(Some(t)) => t,
        Mode::Accumulate(None) => &[],
    };
    let filtered = !matches!(mode, Mode::Accumulate(None));
    let is_leaf_target = |t: &Tensor| targets.iter().any(|x| x.is_leaf() && x.is(t));
    let node_targets: Vec<(u64, usize, usize)> = targets
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.grad_fn().map(|n| (node_key(&n), t.output_nr(), i)))
        .collect();

    // Which nodes must run: those from which a target is reachable (ascending order = inputs first).
    let mut needed: BTreeMap<u64, bool> = BTreeMap::new();
    for (&k, n) in nodes.iter() {
        let need = !filtered
            || n.edges.iter().flatten().any(|e| match e {
                Edge::Node { node, .. } => {
                    needed.get(&node_key(node)).copied().unwrap_or(false)
                        || node_targets.iter().any(|(nk, _, _)| *nk == node_key(node))
                }
                Edge::Leaf(t) => is_leaf_target(t),
            });
        needed.insert(k, need);
    }

    let mut buffers: BTreeMap<(u64, usize), Option<Tensor>> = BTreeMap::new();
    let mut leaf_grads: Vec<(Tensor, Option<Tensor>)> = Vec::new();
    let mut captured: Vec<Option<Tensor>> = vec![None; targets.len()];
    let add_leaf =
        |leaf_grads: &mut Vec<(Tensor, Option<Tensor>)>, t: &Tensor, g: Tensor| -> PyResult<()> {
            let g = conform(g, &t.shape(), t.dtype())?;
            match leaf_grads.iter_mut().find(|(x, _)| x.is(t)) {
                Some((_, slot)) => accumulate(slot, g),
                None => {
                    leaf_grads.push((t.clone(), Some(g)));
                    Ok(())
                }
            }
        };
    for (edge, g) in roots {
        match edge {
            Edge::Node { node, output_nr } => {
                accumulate(
                    buffers.entry((node_key(&node), output_nr)).or_insert(None),
                    g,
                )?;
            }
            Edge::Leaf(t) => add_leaf(&mut leaf_grads, &t, g)?,
        }
    }

    let mut executed: Vec<Rc<Node>> = Vec::new();
    for (&k, node) in nodes.iter().rev() {
        let has_any =
            (0..node.outputs.len()).any(|i| buffers.get(&(k, i)).is_some_and(|b| b.is_some()));
        if !has_any {
            continue;
        }
        let undefined_ok = node.wants_undefined_grads();
        let mut received: Vec<Option<Tensor>> = Vec::with_capacity(node.outputs.len());
        let mut grads: Vec<Tensor> = Vec::with_capacity(node.outputs.len());
        for (i, meta) in node.outputs.iter().enumerate() {
            let given = buffers.remove(&(k, i)).flatten();
            let g = match &given {
                Some(g) => g.clone(),
                None => Tensor::new(NdArray::zeros(&meta.shape, meta.dtype)),
            };
            received.push(if undefined_ok { given } else { Some(g.clone()) });
            grads.push(g);
        }
        // Hooks and retain_grad of the non-leaf tensors this node produced.
        for (nr, weak) in node.watchers.borrow().iter() {
            if let Some(inner) = weak.upgrade() {
                let t = Tensor(inner);
                let hooks: Vec<_> = t.0.hooks.borrow().clone();
                for h in hooks {
                    if let Some(new) = h(&grads[*nr])? {
                        grads[*nr] = new;
                    }
                }
                if t.retains_grad() {
                    let g = ops::clone(&grads[*nr]);
                    let new = match t.grad() {
                        None => g,
                        Some(old) => ops::add(&old, &g, 1.0)?,
                    };
                    t.set_grad(Some(if create_graph { new } else { new.detach() }));
                }
            }
        }
        for (tk, nr, i) in &node_targets {
            if *tk == k {
                captured[*i] = Some(grads[*nr].clone());
            }
        }
        if !needed.get(&k).copied().unwrap_or(false) {
            continue;
        }
        if node.meta.has_hooks() {
            let hooks: Vec<_> = node.meta.pre_hooks.borrow().clone();
            for h in hooks {
                if let Some(new) = h(&received)? {
                    check_hook_count("pre-hook", new.len(), received.len())?;
                    for (i, g) in new.iter().enumerate() {
                        if let Some(g) = g {
                            grads[i] = g.clone();
                        }
                    }
                    received = new;
                }
            }
        }
        node.unpack_saved()?;
        let mut input_grads = if undefined_ok {
            node.apply_external(&received)?
        } else {
            node.apply(&grads)?
        };
        super::anomaly::check_nan(node, &input_grads)?;
        if node.meta.has_hooks() {
            let hooks: Vec<_> = node.meta.post_hooks.borrow().clone();
            for h in hooks {
                if let Some(new) = h(&input_grads, &received)? {
                    check_hook_count("hook", new.len(), input_grads.len())?;
                    input_grads = new;
                }
            }
        }
        if let Some(obs) = &observers {
            super::observer::notify(
                obs,
                &super::observer::EngineEvent::Node {
                    node,
                    received: &received,
                    sent: &input_grads,
                },
            );
        }
        executed.push(node.clone());
        for (edge, g) in node.edges.iter().zip(input_grads) {
            let (Some(edge), Some(g)) = (edge, g) else {
                continue;
            };
            match edge {
                Edge::Node {
                    node: next,
                    output_nr,
                } => {
                    let meta = &next.outputs[*output_nr];
                    let g = conform(g, &meta.shape, meta.dtype)?;
                    accumulate(
                        buffers.entry((node_key(next), *output_nr)).or_insert(None),
                        g,
                    )?;
                }
                Edge::Leaf(t) => {
                    if !filtered || is_leaf_target(t) {
                        add_leaf(&mut leaf_grads, t, g)?;
                    }
                }
            }
        }
    }

    match mode {
        Mode::Capture(ts) => {
            for (t, g) in leaf_grads {
                if let (Some(obs), Some(g)) = (&observers, &g) {
                    super::observer::notify(
                        obs,
                        &super::observer::EngineEvent::Leaf { leaf: &t, grad: g },
                    );
                }
                if let Some(i) = ts.iter().position(|x| x.is(&t)) {
                    captured[i] = g;
                }
            }
        }
        Mode::Accumulate(_) => {
            for (t, g) in leaf_grads {
                if let Some(g) = g {
                    if let Some(obs) = &observers {
                        super::observer::notify(
                            obs,
                            &super::observer::EngineEvent::Leaf { leaf: &t, grad: &g },
                        );
                    }
                    accumulate_into_leaf(&t, g, create_graph)?;
                }
            }
        }
    }
    if !retain_graph {
        for n in executed {
            n.release();
        }
    }
    Ok(captured)
}

/// PyTorch's `AccumulateGrad`: hooks first, then a fresh copy (`CopyBackwards` under
/// create_graph) or a sum with the existing `.grad` (in place when not building a graph).
fn accumulate_into_leaf(t: &Tensor, g: Tensor, create_graph: bool) -> PyResult<()> {
    let mut g = g;
    let hooks: Vec<_> = t.0.hooks.borrow().clone();
    for h in hooks {
        if let Some(new) = h(&g)? {
            g = new;
        }
    }
    match t.grad() {
        None => {
            let stored = if create_graph {
                ops::copy_backwards(&g)
            } else {
                // Laid out like the leaf (PyTorch's gradient layout contract).
                Tensor::new(g.array().deep_copy_like(&t.array()))
            };
            t.set_grad(Some(stored));
        }
        Some(old) => {
            if create_graph {
                t.set_grad(Some(ops::add(&old, &g, 1.0)?));
            } else {
                let sum = old
                    .array()
                    .binary(&g.array(), crate::array::BinaryOp::Add)?;
                old.array().copy_from(&sum)?;
            }
        }
    }
    let post: Vec<_> = t.0.post_accumulate_hooks.borrow().clone();
    for h in post {
        h(t)?;
    }
    Ok(())
}

/// A node hook must return as many gradients as it was given (PyTorch's check).
fn check_hook_count(what: &str, got: usize, expected: usize) -> PyResult<()> {
    if got != expected {
        return Err(runtime_error(format!(
            "{what} returned an incorrect number of values (expected {expected}, but got {got})"
        )));
    }
    Ok(())
}

/// `torch.autograd.backward(tensors, grad_tensors, retain_graph, create_graph, inputs)`.
/// `grad_tensors[i]` None means implicit ones (scalar outputs only).
pub fn backward(
    tensors: &[Tensor],
    grad_tensors: &[Option<Tensor>],
    retain_graph: Option<bool>,
    create_graph: bool,
    inputs: Option<&[Tensor]>,
) -> PyResult<()> {
    super::batching::check_backward_allowed()?;
    let roots = root_grads(tensors, grad_tensors)?;
    if inputs.is_some_and(|inp| inp.is_empty()) {
        return Err(runtime_error(
            "'inputs' argument to backward() cannot be empty.",
        ));
    }
    run(
        roots,
        Mode::Accumulate(inputs),
        retain_graph.unwrap_or(create_graph),
        create_graph,
    )?;
    Ok(())
}

/// `torch.autograd.grad(outputs, inputs, grad_outputs, retain_graph, create_graph,
/// allow_unused, materialize_grads)`.
pub fn grad(
    outputs: &[Tensor],
    inputs: &[Tensor],
    grad_outputs: &[Option<Tensor>],
    retain_graph: Option<bool>,
    create_graph: bool,
    allow_unused: bool,
    materialize_grads: bool,
) -> PyResult<Vec<Option<Tensor>>> {
    if inputs.iter().any(|t| !t.requires_grad()) {
        return Err(runtime_error(
            "One of the differentiated Tensors does not require grad",
        ));
    }
    let roots = root_grads(outputs, grad_outputs)?;
    let captured = run(
        roots,
        Mode::Capture(inputs),
        retain_graph.unwrap_or(create_graph),
        create_graph,
    )?;
    let mut result = Vec::with_capacity(inputs.len());
    for (i, (g, inp)) in captured.into_iter().zip(inputs).enumerate() {
        match g {
            Some(g) => result.push(Some(g)),
            None if materialize_grads => result.push(Some(ops::zeros_like(inp))),
            None if allow_unused => result.push(None),
            None => {
                return Err(runtime_error(format!(
                    "The differentiated Tensor at index {} appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.",
                    i
                )));
            }
        }
    }
    Ok(result)
}
