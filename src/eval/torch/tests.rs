//! End-to-end checks of the bindings through the interpreter: each cell's output as the
//! notebook would show it (printed text, then the value's repr or the error line). Expected
//! texts are what PyTorch 2.x prints for the same code.

use crate::eval::Interp;

/// Runs the cells in one session; one output string per cell.
fn run(cells: &[&str]) -> Vec<String> {
    let mut interp = Interp::new();
    cells
        .iter()
        .map(|code| {
            let out = interp.run_cell(code);
            let mut s = out.stdout;
            if let Some(v) = out.value {
                s.push_str(&v);
            }
            if let Some(e) = out.error {
                s.push_str(&e.to_string());
            }
            s
        })
        .collect()
}

fn one(code: &str) -> String {
    run(&["import torch", code]).pop().unwrap_or_default()
}

#[test]
fn factories_and_dtype_inference() {
    assert_eq!(
        one("torch.full((2,), 3), torch.full((2,), 1.5)"),
        "(tensor([3, 3]), tensor([1.5000, 1.5000]))"
    );
    assert_eq!(
        one("torch.arange(5), torch.arange(1, 2, 0.5)"),
        "(tensor([0, 1, 2, 3, 4]), tensor([1.0000, 1.5000]))"
    );
    assert_eq!(one("torch.tensor([[1, 2], [3, 4]]).dtype"), "torch.int64");
    assert_eq!(
        one("torch.zeros(2, 3).shape, torch.ones((2,)).dtype"),
        "(torch.Size([2, 3]), torch.float32)"
    );
    assert_eq!(
        one("torch.tensor([1, 2], requires_grad=True)"),
        "RuntimeError: Only Tensors of floating point and complex dtype can require gradients"
    );
    assert_eq!(
        one("torch.zeros(2, -1)"),
        "RuntimeError: Trying to create tensor with negative dimension -1: [2, -1]"
    );
}

#[test]
fn argument_errors_use_pytorch_wording() {
    assert_eq!(
        one("torch.zeros(2, 'a')"),
        "TypeError: zeros(): argument 'size' (position 1) must be tuple of ints, but found element of type str at pos 1"
    );
    assert_eq!(
        one("torch.ones(2).view(2, 1, foo=3)"),
        "TypeError: view() got an unexpected keyword argument 'foo'"
    );
    assert_eq!(
        one("torch.autograd.grad(torch.ones(1))"),
        "TypeError: grad() missing 1 required positional argument: 'inputs'"
    );
    assert_eq!(
        one("torch.ones(2).nope"),
        "AttributeError: 'Tensor' object has no attribute 'nope'"
    );
}

#[test]
fn methods_attributes_and_named_tuples() {
    assert_eq!(
        one("m = torch.tensor([[1.0, 5.0], [3.0, 2.0]], requires_grad=True)\nm.max(dim=1)"),
        "torch.return_types.max(\nvalues=tensor([5., 3.], grad_fn=<MaxBackward0>),\nindices=tensor([1, 0]))"
    );
    assert_eq!(
        one("t = torch.ones(2, 3)\nt.size(), t.size(-1), t.numel(), t.dim(), t.T.shape"),
        "(torch.Size([2, 3]), 3, 6, 2, torch.Size([3, 2]))"
    );
    assert_eq!(
        one("torch.tensor([1.5, 2.5]).tolist(), torch.tensor(2).item()"),
        "([1.5, 2.5], 2)"
    );
    assert_eq!(
        one("y = torch.ones(2, requires_grad=True) * 2\ny.grad_fn, y.grad_fn.name(), y.is_leaf"),
        "(<MulBackward0 object>, 'MulBackward0', False)"
    );
    assert_eq!(one("torch.ones(2).device == torch.device('cpu')"), "True");
}

#[test]
fn operators_with_python_numbers() {
    assert_eq!(
        one("a = torch.tensor([2.0, 4.0], requires_grad=True)\n1 - a, 2 / a, a ** 2, 2 ** a"),
        "(tensor([-1., -3.], grad_fn=<RsubBackward1>), tensor([1.0000, 0.5000], grad_fn=<MulBackward0>), tensor([ 4., 16.], grad_fn=<PowBackward0>), tensor([ 4., 16.], grad_fn=<PowBackward2>))"
    );
    assert_eq!(
        one("t = torch.zeros(2)\nt += 1\nt *= 3\nt"),
        "tensor([3., 3.])"
    );
    assert_eq!(
        one("(torch.tensor([1, 2]) > 1) & torch.tensor([True, True])"),
        "tensor([False,  True])"
    );
    assert_eq!(one("torch.ones(2, 3).shape == (2, 3)"), "True");
}

#[test]
fn indexing_and_assignment() {
    assert_eq!(
        one("t = torch.arange(6.0).reshape(2, 3)\nt[1], t[:, [0, 2]], t[t > 3]"),
        "(tensor([3., 4., 5.]), tensor([[0., 2.],\n        [3., 5.]]), tensor([4., 5.]))"
    );
    assert_eq!(
        one("s = torch.zeros(3)\ns[0] = 5\ns[1:] = torch.tensor([1.0, 2.0])\ns"),
        "tensor([5., 1., 2.])"
    );
    assert_eq!(
        one("bool(torch.ones(2))"),
        "RuntimeError: Boolean value of Tensor with more than one value is ambiguous"
    );
}

#[test]
fn hooks_reach_python_functions() {
    let out = run(&[
        "import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\ny = x * x\nh = y.register_hook(lambda g: g * 10)",
        "y.sum().backward()\nx.grad",
        "h.remove()\nx.grad = None\n(x * x).sum().backward()\nx.grad",
        "z = x * 3\nz.register_hook(print)\nz.sum().backward()",
    ]);
    assert_eq!(out[1], "tensor([20., 40.])");
    assert_eq!(out[2], "tensor([2., 4.])");
    assert_eq!(out[3], "tensor([1., 1.])\n");
}

#[test]
fn grad_mode_context_managers() {
    let out = run(&[
        "import torch\nx = torch.ones(1, requires_grad=True)\nwith torch.no_grad():\n    y = x * 2\ny.requires_grad, torch.is_grad_enabled()",
        "with torch.set_grad_enabled(False):\n    print(torch.is_grad_enabled())\ntorch.is_grad_enabled()",
    ]);
    assert_eq!(out[0], "(False, True)");
    assert_eq!(out[1], "False\nTrue");
}

#[test]
fn autograd_functional_follows_pytorch() {
    let out = run(&[
        "import torch\nfrom torch.autograd.functional import jacobian, hessian, vjp, jvp, hvp, vhp",
        "jacobian(lambda x: x ** 2, torch.tensor([1.0, 2.0]), create_graph=True)",
        "hessian(lambda x: (x ** 3).sum(), torch.tensor([1.0, 2.0]))",
        "vjp(lambda x: x.exp(), torch.tensor([0.0]), torch.tensor([2.0]))",
        "jvp(lambda x: x * 3, torch.tensor([1.0, 2.0]), torch.ones(2))",
        "hvp(lambda x: (x ** 3).sum(), torch.tensor([1.0, 2.0]), torch.tensor([1.0, 0.0]))",
        "jacobian(lambda x: torch.ones(2), torch.tensor([1.0]), strict=True)",
        "jacobian(lambda x: x, torch.tensor([1.0]), strategy='sideways')",
    ]);
    assert_eq!(
        out[1],
        "tensor([[2., 0.],\n        [0., 4.]], grad_fn=<ViewBackward0>)"
    );
    assert_eq!(out[2], "tensor([[ 6.,  0.],\n        [ 0., 12.]])");
    assert_eq!(out[3], "(tensor([1.]), tensor([2.]))");
    assert_eq!(out[4], "(tensor([3., 6.]), tensor([3., 3.]))");
    assert_eq!(out[5], "(tensor(9.), tensor([6., 0.]))");
    assert!(out[6].starts_with(
        "RuntimeError: Output 0 of the user-provided function does not require gradients."
    ));
    assert!(out[7].starts_with(
        "AssertionError: Expected strategy to be either \"forward-mode\" or \"reverse-mode\"."
    ));
}

#[test]
fn random_generators_round_trip() {
    let out = run(&[
        "import torch\ng = torch.Generator().manual_seed(0)\ntorch.rand(2, generator=g), g.initial_seed(), g",
        "s = torch.get_rng_state()\na = torch.randn(3)\ntorch.set_rng_state(s)\ntorch.equal(a, torch.randn(3))",
        "torch.manual_seed(1)\ntorch.randint(0, 10, (8,))",
    ]);
    assert_eq!(
        out[0],
        "(tensor([0.4963, 0.7682]), 0, <torch._C.Generator object>)"
    );
    assert_eq!(out[1], "True");
    assert_eq!(out[2], "tensor([5, 9, 4, 8, 3, 3, 1, 1])");
}

#[test]
fn nn_functional() {
    assert_eq!(
        one(
            "import torch.nn.functional as F\nF.mse_loss(torch.tensor([1.0, 3.0]), torch.zeros(2)), F.relu(torch.tensor([-1.0, 2.0]))"
        ),
        "(tensor(5.), tensor([0., 2.]))"
    );
    assert_eq!(
        one(
            "import torch.nn.functional as F\nF.mse_loss(torch.ones(1), torch.ones(1), reduction='avg')"
        ),
        "ValueError: avg is not a valid value for reduction"
    );
}
