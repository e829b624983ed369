//! The `text/html` a tensor result carries besides its `text/plain` repr: the same repr, and
//! under it one line of the autograd state a lesson is about (shape, dtype, whether it requires
//! grad, its `grad_fn` or that it is a leaf). Front ends that render HTML show it; `text/plain`
//! stays PyTorch's repr byte for byte.

use crate::autograd::Tensor;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub fn tensor_html(repr: &str, t: &Tensor) -> String {
    let shape: Vec<String> = t.shape().iter().map(usize::to_string).collect();
    let shape = match shape.as_slice() {
        [one] => format!("({one},)"),
        dims => format!("({})", dims.join(", ")),
    };
    let mut facts = vec![format!("shape {shape}"), t.dtype().name().to_string()];
    if t.requires_grad() {
        facts.push("requires_grad=True".into());
        match t.grad_fn() {
            Some(node) => facts.push(format!("grad_fn={}", node.name())),
            None => facts.push("leaf".into()),
        }
    }
    format!(
        "<pre style=\"margin: 0; padding: 0; background: none\">{}</pre>\n<div style=\"font-size: smaller; opacity: 0.7\">{}</div>",
        escape(repr),
        escape(&facts.join(" · "))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Interp, Value};

    fn value(code: &str) -> (String, Tensor) {
        let mut interp = Interp::new();
        let out = interp.run_cell(code);
        match interp.get_global("_") {
            Some(Value::Tensor(t)) => (out.value.unwrap_or_default(), t),
            _ => panic!("not a tensor: {code}"),
        }
    }

    #[test]
    fn repr_then_autograd_state() {
        let (repr, t) = value("x = torch.ones(2, 3, requires_grad=True)\nx * 2");
        let html = tensor_html(&repr, &t);
        assert!(html.starts_with("<pre style=\"margin: 0; padding: 0; background: none\">tensor([[2., 2., 2.],\n        [2., 2., 2.]], grad_fn=&lt;MulBackward0&gt;)</pre>"), "{html}");
        assert!(
            html.ends_with(
                "shape (2, 3) · torch.float32 · requires_grad=True · grad_fn=MulBackward0</div>"
            ),
            "{html}"
        );
        let (repr, t) = value("torch.arange(3)");
        assert!(tensor_html(&repr, &t).contains(">shape (3,) · torch.int64</div>"));
        let (repr, t) = value("torch.zeros(1, requires_grad=True)");
        assert!(tensor_html(&repr, &t).contains("requires_grad=True · leaf"));
    }
}
