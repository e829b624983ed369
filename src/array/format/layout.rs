//! The body of a tensor's repr: nesting, line wrapping and summarisation
//! (`_tensor_str`, `_tensor_str_with_formatter`, `_vector_str`, `get_summarized_data`).

use super::PrintOptions;
use super::formatter::Formatter;
use crate::array::{NdArray, Scalar};

/// Reads elements by logical (C-order) flat index. When the tensor is shown in full, its
/// elements are read once up front; when summarised, only the few visible ones are fetched,
/// so printing a huge tensor stays cheap.
struct Elements<'a> {
    array: &'a NdArray,
    all: Option<Vec<Scalar>>,
}

impl Elements<'_> {
    fn at(&self, flat: usize) -> Scalar {
        if let Some(all) = &self.all {
            return all[flat];
        }
        let shape = self.array.shape();
        let mut index = vec![0usize; shape.len()];
        let mut rest = flat;
        for d in (0..shape.len()).rev() {
            index[d] = rest % shape[d];
            rest /= shape[d];
        }
        // The index is in range by construction; NaN would only show a bug, never panic.
        self.array.get(&index).unwrap_or(Scalar::Float(f64::NAN))
    }
}

struct Printer<'a> {
    elements: Elements<'a>,
    opts: &'a PrintOptions,
    formatter: Formatter,
    summarize: bool,
}

/// The bracketed body of a non-empty tensor whose `[` sits at column `indent`.
pub(super) fn tensor_body(array: &NdArray, opts: &PrintOptions, indent: usize) -> String {
    let summarize = array.numel() > opts.threshold;
    let elements = Elements {
        array,
        all: if summarize {
            None
        } else {
            Some(array.scalars())
        },
    };
    let shape = array.shape();
    let mut kept = Vec::new();
    if summarize {
        summarized(&elements, shape, 0, opts.edgeitems, &mut kept);
    } else if let Some(all) = &elements.all {
        kept.extend_from_slice(all);
    }
    let formatter = Formatter::new(&kept, array.dtype().is_floating(), opts);
    let printer = Printer {
        elements,
        opts,
        formatter,
        summarize,
    };
    printer.tensor_str(shape, 0, indent)
}

/// `get_summarized_data`: the elements the formatter is built from when summarising, i.e.
/// the first and last `edgeitems` entries of every long dimension.
fn summarized(
    elements: &Elements,
    shape: &[usize],
    base: usize,
    edge: usize,
    out: &mut Vec<Scalar>,
) {
    let Some((&n, inner)) = shape.split_first() else {
        out.push(elements.at(base));
        return;
    };
    let long = n > edge.saturating_mul(2);
    if inner.is_empty() {
        // `cat(t[:e], t[-e:])`; with e = 0 Python's `t[-0:]` is the whole row.
        let rows: Vec<usize> = if long && edge > 0 {
            (0..edge).chain(n - edge..n).collect()
        } else {
            (0..n).collect()
        };
        out.extend(rows.into_iter().map(|i| elements.at(base + i)));
        return;
    }
    if edge == 0 {
        // PyTorch builds an empty tensor here: the formatter sees nothing.
        return;
    }
    let stride: usize = inner.iter().product();
    let rows: Vec<usize> = if long {
        (0..edge).chain(n - edge..n).collect()
    } else {
        (0..n).collect()
    };
    for i in rows {
        summarized(elements, inner, base + i * stride, edge, out);
    }
}

impl Printer<'_> {
    fn tensor_str(&self, shape: &[usize], base: usize, indent: usize) -> String {
        match shape {
            [] => self.formatter.format(self.elements.at(base)),
            [n] => self.vector_str(*n, base, indent),
            [n, inner @ ..] => {
                let n = *n;
                let edge = self.opts.edgeitems;
                let stride: usize = inner.iter().product();
                let sub = |i: usize| self.tensor_str(inner, base + i * stride, indent + 1);
                let slices: Vec<String> = if self.summarize && n > edge.saturating_mul(2) {
                    (0..edge)
                        .map(sub)
                        .chain(std::iter::once("...".to_string()))
                        .chain((n - edge..n).map(sub))
                        .collect()
                } else {
                    (0..n).map(sub).collect()
                };
                // `,` then one newline per remaining dimension: blank lines between blocks.
                let sep = format!(
                    ",{}{}",
                    "\n".repeat(shape.len() - 1),
                    " ".repeat(indent + 1)
                );
                format!("[{}]", slices.join(&sep))
            }
        }
    }

    /// `_vector_str`: cells joined by `, `, wrapped so that a line holds
    /// `(linewidth - indent) / (width + 2)` items (brackets and suffixes not counted).
    fn vector_str(&self, n: usize, base: usize, indent: usize) -> String {
        let element_length = self.formatter.width() + 2;
        let per_line = (self.opts.linewidth.saturating_sub(indent) / element_length).max(1);
        let edge = self.opts.edgeitems;
        let cell = |i: usize| self.formatter.format(self.elements.at(base + i));
        let data: Vec<String> = if self.summarize && edge == 0 {
            vec!["...".to_string()]
        } else if self.summarize && n > edge.saturating_mul(2) {
            (0..edge)
                .map(cell)
                .chain(std::iter::once(" ...".to_string()))
                .chain((n - edge..n).map(cell))
                .collect()
        } else {
            (0..n).map(cell).collect()
        };
        let lines: Vec<String> = data.chunks(per_line).map(|c| c.join(", ")).collect();
        format!(
            "[{}]",
            lines.join(&format!(",\n{}", " ".repeat(indent + 1)))
        )
    }
}
