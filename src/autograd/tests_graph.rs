//! The graph read back: the engine observer, language-defined (custom) nodes, node hooks,
//! saved values under PyTorch's names and their freeing.

use super::custom::{CustomCall, delayed_error, record_custom};
use super::observer::{EngineEvent, observe};
use super::saved::SavedRead;
use super::{Tensor, backward, grad, ops};
use crate::array::{NdArray, Scalar, UnaryOp};
use std::cell::RefCell;
use std::rc::Rc;

/// What a test backward returns for the gradient it receives.
type Returns = Rc<dyn Fn(&Tensor) -> Vec<Option<Tensor>>>;

fn leaf(v: &[f32]) -> Tensor {
    Tensor::leaf(NdArray::from_vec(v.to_vec(), vec![v.len()]), true).unwrap()
}

fn values(t: &Tensor) -> Vec<f64> {
    t.array().to_f64_vec()
}

#[test]
fn observer_sees_each_node_with_its_gradients_in_engine_order() {
    let x = leaf(&[1.0, 2.0]);
    let y = ops::mul(&x, &x).unwrap();
    let s = ops::sum(&y, None, false).unwrap();
    let log: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = log.clone();
    observe(
        move |ev| {
            let line = match ev {
                EngineEvent::Node {
                    node,
                    received,
                    sent,
                } => format!(
                    "{} in={:?} out={:?}",
                    node.name(),
                    received
                        .iter()
                        .map(|g| g.as_ref().map(values))
                        .collect::<Vec<_>>(),
                    sent.iter()
                        .map(|g| g.as_ref().map(values))
                        .collect::<Vec<_>>()
                ),
                EngineEvent::Leaf { grad, .. } => format!("leaf {:?}", values(grad)),
            };
            sink.borrow_mut().push(line);
        },
        || backward(std::slice::from_ref(&s), &[], None, false, None).unwrap(),
    );
    assert_eq!(
        *log.borrow(),
        vec![
            "SumBackward0 in=[Some([1.0])] out=[Some([1.0, 1.0])]".to_string(),
            "MulBackward0 in=[Some([1.0, 1.0])] out=[Some([1.0, 2.0]), Some([1.0, 2.0])]"
                .to_string(),
            "leaf [2.0, 4.0]".to_string(),
        ]
    );
    // Outside the scope nobody is told.
    let before = log.borrow().len();
    let s2 = ops::sum(&ops::mul(&x, &x).unwrap(), None, false).unwrap();
    backward(&[s2], &[], None, false, None).unwrap();
    assert_eq!(log.borrow().len(), before);
}

/// A custom node whose backward is a closure (as the language supplies one): y = 3x with a
/// non-tensor argument in the middle.
#[test]
fn custom_node_maps_argument_gradients_and_checks_them() {
    let x = leaf(&[1.0, 2.0]);
    let out = Tensor::new(NdArray::from_vec(vec![3.0f32, 6.0], vec![2]));
    let inputs = [Some(x.clone()), None];
    let make = |ret: Returns| {
        let call = CustomCall {
            name: "TripleBackward",
            inputs: &inputs,
            outputs: std::slice::from_ref(&out),
            dirty: &[],
            non_differentiable: &[],
            materialize_grads: true,
            object: None,
            on_free: None,
        };
        let (outs, node) = record_custom(
            &call,
            Rc::new(move |gs: &[Option<Tensor>]| Ok(ret(gs[0].as_ref().unwrap()))),
        )
        .unwrap();
        assert_eq!(node.unwrap().name(), "TripleBackward");
        outs.into_iter().next().unwrap()
    };
    let y = make(Rc::new(|g| {
        vec![
            Some(ops::mul(g, &ops::scalar_tensor(Scalar::Float(3.0), g)).unwrap()),
            None,
        ]
    }));
    assert_eq!(y.grad_fn().unwrap().name(), "TripleBackward");
    let g = grad(
        &[ops::sum(&y, None, false).unwrap()],
        std::slice::from_ref(&x),
        &[],
        None,
        false,
        false,
        false,
    )
    .unwrap();
    assert_eq!(values(g[0].as_ref().unwrap()), vec![3.0, 3.0]);

    let errs = [
        (
            Rc::new(|g: &Tensor| vec![Some(g.clone())]) as Returns,
            "function TripleBackward returned an incorrect number of gradients (expected 2, got 1)",
        ),
        (
            Rc::new(|g: &Tensor| vec![Some(g.clone()), Some(g.clone())]),
            "function TripleBackward returned a gradient different than None at position 2, but the corresponding forward input was not a Variable",
        ),
        (
            Rc::new(|_: &Tensor| {
                vec![
                    Some(Tensor::new(NdArray::from_vec(vec![1.0f32; 3], vec![3]))),
                    None,
                ]
            }),
            "Function TripleBackward returned an invalid gradient at index 0 - got [3] but expected shape compatible with [2]",
        ),
    ];
    for (ret, msg) in errs {
        let y = make(ret);
        let err = backward(
            &[ops::sum(&y, None, false).unwrap()],
            &[],
            None,
            false,
            None,
        )
        .unwrap_err();
        assert_eq!(err.msg, msg);
    }
}

#[test]
fn node_hooks_replace_gradients() {
    let x = leaf(&[1.0, 2.0]);
    let h = ops::mul(&x, &ops::scalar_tensor(Scalar::Int(3), &x)).unwrap();
    let node = h.grad_fn().unwrap();
    node.register_prehook(Rc::new(|gout| {
        Ok(Some(
            gout.iter()
                .map(|g| {
                    g.as_ref()
                        .map(|g| ops::mul(g, &ops::scalar_tensor(Scalar::Int(10), g)).unwrap())
                })
                .collect(),
        ))
    }));
    let seen: Rc<RefCell<usize>> = Rc::default();
    let s2 = seen.clone();
    node.register_hook(Rc::new(move |gin, _gout| {
        *s2.borrow_mut() += gin.len();
        Ok(None)
    }));
    backward(
        &[ops::sum(&h, None, false).unwrap()],
        &[],
        None,
        false,
        None,
    )
    .unwrap();
    assert_eq!(values(&x.grad().unwrap()), vec![30.0, 30.0]);
    assert_eq!(*seen.borrow(), node.num_inputs());
}

#[test]
fn saved_values_are_named_and_freed_by_backward() {
    let x = leaf(&[1.0, 2.0]);
    let e = ops::unary(&x, UnaryOp::Exp).unwrap();
    let node = e.grad_fn().unwrap();
    assert_eq!(node.saved_names(), vec!["result"]);
    match node.saved("result").unwrap().unwrap() {
        SavedRead::Tensor(t) => {
            assert_eq!(values(&t), values(&e));
            assert!(!t.is(&e));
        }
        _ => panic!("result is a tensor"),
    }
    let p = ops::pow_scalar(&x, Scalar::Int(3)).unwrap();
    let pn = p.grad_fn().unwrap();
    assert!(matches!(
        pn.saved("exponent").unwrap().unwrap(),
        SavedRead::Value(super::saved::SavedValue::Int(3))
    ));
    backward(
        &[ops::sum(&e, None, false).unwrap()],
        &[],
        None,
        false,
        None,
    )
    .unwrap();
    let err = node.saved("result").unwrap().err().unwrap();
    assert!(
        err.msg
            .starts_with("Trying to backward through the graph a second time")
    );
}

#[test]
fn delayed_error_raises_on_differentiation() {
    let t = Tensor::new(NdArray::from_vec(vec![1.0f32], vec![1]));
    let outs = delayed_error("no double backward here", &[t]);
    assert!(outs[0].requires_grad());
    assert_eq!(outs[0].grad_fn().unwrap().name(), "Error");
    let err = backward(
        &[ops::sum(&outs[0], None, false).unwrap()],
        &[],
        None,
        false,
        None,
    )
    .unwrap_err();
    assert_eq!(err.msg, "no double backward here");
}
