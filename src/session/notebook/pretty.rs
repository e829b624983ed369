//! IPython's pretty printer (`IPython.lib.pretty`), which formats the `text/plain` of a Jupyter
//! kernel's `execute_result`: lists, tuples and dicts are laid out in groups that break at their
//! commas when they do not fit in 79 columns, and a multi-line repr inside them (a tensor) is
//! indented under its opening bracket. Everything else is its repr, each line break forcing the
//! enclosing groups to break, as IPython's `_repr_pprint` does.
//!
//! The layout is IPython's algorithm (groups of breakables queued by depth; when the pending
//! text overflows, the outermost group with breakables breaks, and a hard break marks every
//! pending group to break), reproduced step for step so the output is byte-identical,
//! including the order `GroupQueue.deq` picks groups in.
//!
//! `.session` transcripts keep plain `repr`, as the recording oracle prints; notebooks and the
//! kernel use this layout, as IPython's kernel does.

use crate::eval::{Interp, Value};
use std::collections::VecDeque;

const MAX_WIDTH: usize = 79;
/// IPython's `MAX_SEQ_LENGTH`: items shown before `...`.
const MAX_SEQ_LENGTH: usize = 1000;

/// Pretty text of `value`; Err when a repr inside it fails (the caller shows the plain repr).
pub fn pretty(interp: &mut Interp, value: &Value) -> Result<String, crate::PyErr> {
    let mut p = Printer::new();
    let mut stack = Vec::new();
    p.pretty(interp, value, &mut stack)?;
    p.flush();
    Ok(p.output)
}

struct Group {
    depth: usize,
    /// Breakables of this group still in the buffer.
    breakables: usize,
    want_break: bool,
}

enum Item {
    Text {
        text: String,
        width: usize,
    },
    Breakable {
        sep: &'static str,
        width: usize,
        indentation: usize,
        group: usize,
    },
}

impl Item {
    fn width(&self) -> usize {
        match self {
            Item::Text { width, .. } | Item::Breakable { width, .. } => *width,
        }
    }
}

struct Printer {
    output: String,
    output_width: usize,
    buffer_width: usize,
    buffer: VecDeque<Item>,
    groups: Vec<Group>,
    group_stack: Vec<usize>,
    /// Groups by depth (IPython's `GroupQueue`).
    queue: Vec<Vec<usize>>,
    indentation: usize,
}

fn width(s: &str) -> usize {
    s.chars().count()
}

impl Printer {
    fn new() -> Printer {
        let mut p = Printer {
            output: String::new(),
            output_width: 0,
            buffer_width: 0,
            buffer: VecDeque::new(),
            groups: vec![Group {
                depth: 0,
                breakables: 0,
                want_break: false,
            }],
            group_stack: vec![0],
            queue: Vec::new(),
            indentation: 0,
        };
        p.enqueue(0);
        p
    }

    fn enqueue(&mut self, g: usize) {
        let depth = self.groups[g].depth;
        while self.queue.len() <= depth {
            self.queue.push(Vec::new());
        }
        self.queue[depth].push(g);
    }

    fn unqueue(&mut self, g: usize) {
        let depth = self.groups[g].depth;
        if let Some(stack) = self.queue.get_mut(depth)
            && let Some(i) = stack.iter().position(|x| *x == g)
        {
            stack.remove(i);
        }
    }

    /// `GroupQueue.deq`: the shallowest group with breakables, marked to break (IPython scans
    /// each depth from its newest group, but deletes by that reversed index from the front;
    /// kept as it is, since it decides which group stays queued). Groups at shallower depths
    /// without breakables are marked to break and dropped.
    fn dequeue(&mut self) -> Option<usize> {
        for depth in 0..self.queue.len() {
            let stack = &self.queue[depth];
            let found = stack
                .iter()
                .rev()
                .enumerate()
                .find(|(_, g)| self.groups[**g].breakables > 0)
                .map(|(idx, g)| (idx, *g));
            if let Some((idx, g)) = found {
                self.queue[depth].remove(idx);
                self.groups[g].want_break = true;
                return Some(g);
            }
            for g in std::mem::take(&mut self.queue[depth]) {
                self.groups[g].want_break = true;
            }
        }
        None
    }

    /// Writes one buffered item, as `Printable.output` does.
    fn output_item(&mut self, item: Item) {
        match item {
            Item::Text { text, width } => {
                self.output.push_str(&text);
                self.output_width += width;
            }
            Item::Breakable {
                sep,
                width,
                indentation,
                group,
            } => {
                self.groups[group].breakables -= 1;
                if self.groups[group].want_break {
                    self.output.push('\n');
                    self.output.push_str(&" ".repeat(indentation));
                    self.output_width = indentation;
                } else {
                    if self.groups[group].breakables == 0 {
                        self.unqueue(group);
                    }
                    self.output.push_str(sep);
                    self.output_width += width;
                }
            }
        }
    }

    fn break_one_group(&mut self, g: usize) {
        while self.groups[g].breakables > 0 {
            let Some(item) = self.buffer.pop_front() else {
                break;
            };
            self.buffer_width -= item.width();
            self.output_item(item);
        }
        while matches!(self.buffer.front(), Some(Item::Text { .. })) {
            if let Some(item) = self.buffer.pop_front() {
                self.buffer_width -= item.width();
                self.output_item(item);
            }
        }
    }

    fn break_outer_groups(&mut self) {
        while MAX_WIDTH < self.output_width + self.buffer_width {
            let Some(g) = self.dequeue() else {
                return;
            };
            self.break_one_group(g);
        }
    }

    fn text(&mut self, s: &str) {
        let w = width(s);
        if self.buffer.is_empty() {
            self.output.push_str(s);
            self.output_width += w;
            return;
        }
        match self.buffer.back_mut() {
            Some(Item::Text { text, width }) => {
                text.push_str(s);
                *width += w;
            }
            _ => self.buffer.push_back(Item::Text {
                text: s.to_string(),
                width: w,
            }),
        }
        self.buffer_width += w;
        self.break_outer_groups();
    }

    fn newline(&mut self) {
        self.flush();
        self.output.push('\n');
        self.output.push_str(&" ".repeat(self.indentation));
        self.output_width = self.indentation;
        self.buffer_width = 0;
    }

    fn breakable(&mut self) {
        let g = *self.group_stack.last().unwrap_or(&0);
        if self.groups[g].want_break {
            self.newline();
        } else {
            self.groups[g].breakables += 1;
            self.buffer.push_back(Item::Breakable {
                sep: " ",
                width: 1,
                indentation: self.indentation,
                group: g,
            });
            self.buffer_width += 1;
            self.break_outer_groups();
        }
    }

    fn hard_break(&mut self) {
        if let Some(g) = self.dequeue() {
            self.break_one_group(g);
        }
        self.newline();
    }

    fn begin_group(&mut self, indent: usize, open: &str) {
        if !open.is_empty() {
            self.text(open);
        }
        let depth = self.groups[*self.group_stack.last().unwrap_or(&0)].depth + 1;
        self.groups.push(Group {
            depth,
            breakables: 0,
            want_break: false,
        });
        let g = self.groups.len() - 1;
        self.group_stack.push(g);
        self.enqueue(g);
        self.indentation += indent;
    }

    fn end_group(&mut self, dedent: usize, close: &str) {
        self.indentation -= dedent;
        if let Some(g) = self.group_stack.pop()
            && self.groups[g].breakables == 0
        {
            self.unqueue(g);
        }
        if !close.is_empty() {
            self.text(close);
        }
    }

    fn flush(&mut self) {
        while let Some(item) = self.buffer.pop_front() {
            self.output_item(item);
        }
        self.buffer_width = 0;
    }

    /// `RepresentationPrinter.pretty`: every object in a group of its own.
    fn pretty(
        &mut self,
        interp: &mut Interp,
        value: &Value,
        stack: &mut Vec<usize>,
    ) -> Result<(), crate::PyErr> {
        let id = match value {
            Value::List(l) => Some(std::rc::Rc::as_ptr(l) as *const () as usize),
            Value::Dict(d) => Some(std::rc::Rc::as_ptr(d) as *const () as usize),
            Value::Tuple(t) => Some(std::rc::Rc::as_ptr(t) as *const () as usize),
            _ => None,
        };
        let cycle = id.is_some_and(|i| stack.contains(&i));
        self.begin_group(0, "");
        if let Some(i) = id {
            stack.push(i);
        }
        let result = match value {
            Value::Tuple(items) => self.sequence(interp, "(", ")", items, true, cycle, stack),
            Value::List(items) => {
                let items = items.borrow().clone();
                self.sequence(interp, "[", "]", &items, false, cycle, stack)
            }
            Value::Dict(pairs) => {
                let pairs = pairs.borrow().clone();
                self.dict(interp, &pairs, cycle, stack)
            }
            other => interp.repr(other).map(|text| self.repr_lines(&text)),
        };
        if id.is_some() {
            stack.pop();
        }
        self.end_group(0, "");
        result
    }

    /// `_repr_pprint`: the repr's lines, hard breaks between them.
    fn repr_lines(&mut self, text: &str) {
        self.begin_group(0, "");
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                self.hard_break();
            }
            self.text(line);
        }
        self.end_group(0, "");
    }

    #[allow(clippy::too_many_arguments)]
    fn sequence(
        &mut self,
        interp: &mut Interp,
        start: &str,
        end: &str,
        items: &[Value],
        is_tuple: bool,
        cycle: bool,
        stack: &mut Vec<usize>,
    ) -> Result<(), crate::PyErr> {
        if cycle {
            self.text(&format!("{start}...{end}"));
            return Ok(());
        }
        self.begin_group(1, start);
        for (i, item) in items.iter().enumerate() {
            if i >= MAX_SEQ_LENGTH {
                self.text(",");
                self.breakable();
                self.text("...");
                break;
            }
            if i > 0 {
                self.text(",");
                self.breakable();
            }
            self.pretty(interp, item, stack)?;
        }
        if is_tuple && items.len() == 1 {
            self.text(",");
        }
        self.end_group(1, end);
        Ok(())
    }

    fn dict(
        &mut self,
        interp: &mut Interp,
        pairs: &[(Value, Value)],
        cycle: bool,
        stack: &mut Vec<usize>,
    ) -> Result<(), crate::PyErr> {
        if cycle {
            self.text("{...}");
            return Ok(());
        }
        self.begin_group(1, "{");
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i >= MAX_SEQ_LENGTH {
                self.text(",");
                self.breakable();
                self.text("...");
                break;
            }
            if i > 0 {
                self.text(",");
                self.breakable();
            }
            self.pretty(interp, k, stack)?;
            self.text(": ");
            self.pretty(interp, v, stack)?;
        }
        self.end_group(1, "}");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(code: &str) -> String {
        let mut interp = Interp::new();
        let out = interp.run_cell(code);
        assert!(out.error.is_none(), "{:?}", out.error);
        let v = interp.get_global("_").unwrap_or(Value::None);
        pretty(&mut interp, &v).unwrap_or_default()
    }

    #[test]
    fn short_containers_stay_on_one_line() {
        assert_eq!(shown("(1, [2, 3], {'a': 4})"), "(1, [2, 3], {'a': 4})");
        assert_eq!(shown("(1,)"), "(1,)");
        assert_eq!(shown("[]"), "[]");
    }

    #[test]
    fn long_containers_break_at_their_commas() {
        assert_eq!(
            shown("list(range(30))"),
            "[0,\n 1,\n 2,\n 3,\n 4,\n 5,\n 6,\n 7,\n 8,\n 9,\n 10,\n 11,\n 12,\n 13,\n 14,\n 15,\n 16,\n 17,\n 18,\n 19,\n 20,\n 21,\n 22,\n 23,\n 24,\n 25,\n 26,\n 27,\n 28,\n 29]"
        );
    }

    #[test]
    fn multi_line_reprs_are_indented_under_the_bracket() {
        assert_eq!(
            shown("(torch.eye(2), torch.ones(2, 1))"),
            "(tensor([[1., 0.],\n         [0., 1.]]),\n tensor([[1.],\n         [1.]]))"
        );
        assert_eq!(
            shown("{'w': torch.zeros(2, 2), 'b': [1, 2]}"),
            "{'w': tensor([[0., 0.],\n         [0., 0.]]),\n 'b': [1, 2]}"
        );
        let nested = shown("([1] * 30, 'x' * 60)");
        assert!(nested.starts_with("([1,\n  1,\n  1,\n"), "{nested}");
        assert!(
            nested.ends_with(
                "  1],\n 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')"
            ),
            "{nested}"
        );
    }
}
