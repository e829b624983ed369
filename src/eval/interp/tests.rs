//! Pure-Python behaviour of the interpreter (no tensors), checked against CPython's output.

use super::*;

/// Renders a cell's output the way a transcript shows it.
fn render(out: &CellOutput) -> String {
    let mut s = out.stdout.clone();
    if let Some(v) = &out.value {
        s.push_str(&format!("Out: {v}\n"));
    }
    if let Some(e) = &out.error {
        s.push_str(&format!("{e}\n"));
    }
    s
}

/// Runs one cell in a fresh session.
fn run(src: &str) -> String {
    Interp::new().run_cell(src).pipe(|o| render(&o))
}

/// Runs several cells in one session.
fn run_cells(cells: &[&str]) -> Vec<String> {
    let mut interp = Interp::new();
    cells.iter().map(|c| render(&interp.run_cell(c))).collect()
}

trait Pipe: Sized {
    fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
        f(self)
    }
}
impl<T> Pipe for T {}

#[test]
fn conformance_language_cells_without_tensors() {
    let out = run_cells(&[
        "a = 1\nb = 2.5\na + b, a * b, a / 2, 7 // 2, 7 % 3, 2 ** 10, -a",
        "s = \"tensor\"\ns, len(s), s + \"s\", f\"{s} has {len(s)} letters\"",
        "xs = [1, 2, 3]\nys = [v * v for v in xs if v != 2]\nxs, ys, sum(xs), max(xs), min(ys)",
        "pairs = list(zip([\"a\", \"b\"], [1, 2]))\npairs",
        "for i, v in enumerate(xs):\n    print(i, v)",
        "total = 0\ni = 0\nwhile i < 5:\n    total += i\n    i += 1\ntotal",
        "def sign(v):\n    if v > 0:\n        return \"positive\"\n    elif v < 0:\n        return \"negative\"\n    else:\n        return \"zero\"\n[sign(v) for v in (-1, 0, 1)]",
        "d = {\"w\": 1.0, \"b\": 2}\nd[\"b\"], list(d.keys())",
        "None is None, not True, True and False, True or False, 3 in xs",
        "round(3.14159, 2), abs(-2), int(2.7), float(3)",
        "range(3), list(range(1, 7, 2))",
        "(1, 2) + (3,), [1] * 3, \"ab\" * 2",
        "type(3).__name__",
    ]);
    let expected = [
        "Out: (3.5, 2.5, 0.5, 3, 1, 1024, -1)\n",
        "Out: ('tensor', 6, 'tensors', 'tensor has 6 letters')\n",
        "Out: ([1, 2, 3], [1, 9], 6, 3, 1)\n",
        "Out: [('a', 1), ('b', 2)]\n",
        "0 1\n1 2\n2 3\n",
        "Out: 10\n",
        "Out: ['negative', 'zero', 'positive']\n",
        "Out: (2, ['w', 'b'])\n",
        "Out: (True, False, False, True, True)\n",
        "Out: (3.14, 2, 2, 3.0)\n",
        "Out: (range(0, 3), [1, 3, 5])\n",
        "Out: ((1, 2, 3), [1, 1, 1], 'abab')\n",
        "Out: 'int'\n",
    ];
    for (got, want) in out.iter().zip(expected) {
        assert_eq!(got, want);
    }
}

#[test]
fn closures_and_defaults() {
    let src = "def make_adder(c):\n    def add(t):\n        return t + c\n    return add\nadd3 = make_adder(3)\nadd3(4), make_adder(1.5)(1)";
    assert_eq!(run(src), "Out: (7, 2.5)\n");
    let src = "def counter():\n    n = 0\n    def inc():\n        nonlocal n\n        n += 1\n        return n\n    return inc\nc = counter()\nc(); c(); c()";
    assert_eq!(run(src), "Out: 3\n");
    let src = "def counter():\n    n = 0\n    def inc():\n        nonlocal n\n        n += 1\n        return n\n    return inc\nc = counter()\nc(), c(), c()";
    assert_eq!(run(src), "Out: (1, 2, 3)\n");
    let src = "g = 1\ndef f():\n    global g\n    g = g + 10\nf()\ng";
    assert_eq!(run(src), "Out: 11\n");
    let src = "def f(a, b=2, *args, c, d=4, **kw):\n    return a, b, args, c, d, kw\nf(1, c=3), f(1, 5, 6, 7, c=0, e=9)";
    assert_eq!(
        run(src),
        "Out: ((1, 2, (), 3, 4, {}), (1, 5, (6, 7), 0, 4, {'e': 9}))\n"
    );
    let src = "square = lambda t: t ** 2\nsquare(3), (lambda *a, **k: (a, k))(1, x=2)";
    assert_eq!(run(src), "Out: (9, ((1,), {'x': 2}))\n");
    let src = "fs = [lambda: i for i in range(3)]\n[f() for f in fs]";
    assert_eq!(run(src), "Out: [2, 2, 2]\n");
}

#[test]
fn decorators_and_function_reprs() {
    let src = "def twice(f):\n    def g(x):\n        return f(f(x))\n    return g\n@twice\ndef inc(x):\n    return x + 1\ninc(1), inc, inc.__name__";
    assert_eq!(run(src), "Out: (3, <function twice.<locals>.g>, 'g')\n");
    assert_eq!(run("def f():\n    pass\nf"), "Out: <function f>\n");
    assert_eq!(run("len"), "Out: <built-in function len>\n");
    assert_eq!(
        run("int, type(1.5), type(None)"),
        "Out: (<class 'int'>, <class 'float'>, <class 'NoneType'>)\n"
    );
}

#[test]
fn unpacking() {
    assert_eq!(run("a, *rest = [1, 2, 3]\na, rest"), "Out: (1, [2, 3])\n");
    assert_eq!(run("(a, b), c = (1, 2), 3\na, b, c"), "Out: (1, 2, 3)\n");
    assert_eq!(run("a = b = 5\na, b"), "Out: (5, 5)\n");
    assert_eq!(run("x, y = 1, 2\nx, y = y, x\nx, y"), "Out: (2, 1)\n");
    assert_eq!(run("first, *mid, last = range(5)\nmid"), "Out: [1, 2, 3]\n");
    assert_eq!(
        run("a, b = [1, 2, 3]"),
        "ValueError: too many values to unpack (expected 2)\n"
    );
    assert_eq!(
        run("a, b, c = [1, 2]"),
        "ValueError: not enough values to unpack (expected 3, got 2)\n"
    );
    assert_eq!(
        run("a, b = 1"),
        "TypeError: cannot unpack non-iterable int object\n"
    );
    assert_eq!(run("(dy,) = [4]\ndy"), "Out: 4\n");
    assert_eq!(run("g, = (7,)\ng"), "Out: 7\n");
}

#[test]
fn numbers() {
    assert_eq!(
        run("-7 // 2, -7 % 2, 7 % -2, 7.5 // 2, -7.5 % 2, 2 ** -1, 10 / 4"),
        "Out: (-4, 1, -1, 3.0, 0.5, 0.5, 2.5)\n"
    );
    assert_eq!(
        run("True + 1, 3 & 5, 3 | 4, 6 ^ 3, 1 << 4, -16 >> 2, ~5"),
        "Out: (2, 1, 7, 5, 16, -4, -6)\n"
    );
    assert_eq!(
        run("0.1 + 0.2, 1e-5, 1e16, 1 / 3"),
        "Out: (0.30000000000000004, 1e-05, 1e+16, 0.3333333333333333)\n"
    );
    assert_eq!(run("1 / 0"), "ZeroDivisionError: division by zero\n");
    assert_eq!(
        run("1 // 0"),
        "ZeroDivisionError: integer division or modulo by zero\n"
    );
    assert_eq!(
        run("1.0 / 0"),
        "ZeroDivisionError: float division by zero\n"
    );
    assert_eq!(
        run("round(2.5), round(3.5), round(-0.5), round(2.675, 2), round(1234, -2)"),
        "Out: (2, 4, 0, 2.67, 1200)\n"
    );
    assert_eq!(
        run("divmod(-7, 2), pow(2, 10), pow(3, 4, 5), abs(-2.5)"),
        "Out: ((-4, 1), 1024, 1, 2.5)\n"
    );
    assert_eq!(
        run("int('42'), int(' -3 '), float('1e-3'), float('inf'), int('ff', 16)"),
        "Out: (42, -3, 0.001, inf, 255)\n"
    );
    assert_eq!(
        run("int('x')"),
        "ValueError: invalid literal for int() with base 10: 'x'\n"
    );
    assert_eq!(
        run("1 < 2 < 3, 1 < 3 < 2, 1 == 1.0, 2 != 2"),
        "Out: (True, False, True, False)\n"
    );
    assert_eq!(
        run("0x1F, 0b101, 0o17, 1_000_000"),
        "Out: (31, 5, 15, 1000000)\n"
    );
}

#[test]
fn operator_type_errors() {
    assert_eq!(
        run("1 + 'a'"),
        "TypeError: unsupported operand type(s) for +: 'int' and 'str'\n"
    );
    assert_eq!(
        run("'a' + 1"),
        "TypeError: can only concatenate str (not \"int\") to str\n"
    );
    assert_eq!(
        run("[1] + (2,)"),
        "TypeError: can only concatenate list (not \"tuple\") to list\n"
    );
    assert_eq!(
        run("'a' * 1.5"),
        "TypeError: can't multiply sequence by non-int of type 'float'\n"
    );
    assert_eq!(
        run("'a' < 1"),
        "TypeError: '<' not supported between instances of 'str' and 'int'\n"
    );
    assert_eq!(
        run("-'a'"),
        "TypeError: bad operand type for unary -: 'str'\n"
    );
    assert_eq!(run("3()"), "TypeError: 'int' object is not callable\n");
    assert_eq!(
        run("len(5)"),
        "TypeError: object of type 'int' has no len()\n"
    );
    assert_eq!(
        run("for x in 5:\n    pass"),
        "TypeError: 'int' object is not iterable\n"
    );
}

#[test]
fn name_and_attribute_errors() {
    assert_eq!(
        run("undefined_name + 1"),
        "NameError: name 'undefined_name' is not defined\n"
    );
    assert_eq!(
        run("(1).foo"),
        "AttributeError: 'int' object has no attribute 'foo'\n"
    );
    assert_eq!(
        run("import math\nmath.nope"),
        "AttributeError: module 'math' has no attribute 'nope'\n"
    );
    assert_eq!(
        run("def f():\n    print(x)\n    x = 1\nf()"),
        "UnboundLocalError: cannot access local variable 'x' where it is not associated with a value\n"
    );
    assert_eq!(
        run("import nosuchmod"),
        "ModuleNotFoundError: No module named 'nosuchmod'\n"
    );
    assert_eq!(
        run("from math import nothing"),
        "ImportError: cannot import name 'nothing' from 'math' (unknown location)\n"
    );
}

#[test]
fn call_errors() {
    let def = "def f(x, y=1):\n    return x\n";
    assert_eq!(
        run(&format!("{def}f()")),
        "TypeError: f() missing 1 required positional argument: 'x'\n"
    );
    assert_eq!(
        run(&format!("{def}f(1, 2, 3)")),
        "TypeError: f() takes from 1 to 2 positional arguments but 3 were given\n"
    );
    assert_eq!(
        run(&format!("{def}f(1, z=2)")),
        "TypeError: f() got an unexpected keyword argument 'z'\n"
    );
    assert_eq!(
        run(&format!("{def}f(1, x=2)")),
        "TypeError: f() got multiple values for argument 'x'\n"
    );
    assert_eq!(
        run("def g(a, b, c):\n    pass\ng()"),
        "TypeError: g() missing 3 required positional arguments: 'a', 'b', and 'c'\n"
    );
    assert_eq!(
        run("def h():\n    pass\nh(1)"),
        "TypeError: h() takes 0 positional arguments but 1 was given\n"
    );
    assert_eq!(
        run("def k(*, a):\n    pass\nk()"),
        "TypeError: k() missing 1 required keyword-only argument: 'a'\n"
    );
}

#[test]
fn recursion_limit_is_a_python_error() {
    // The interpreter recurses on the Rust stack; the binary gives it a big one, so do we.
    let out = std::thread::Builder::new()
        .stack_size(512 << 20)
        .spawn(|| {
            let a = run("def f(n):\n    return f(n + 1)\nf(0)");
            let b = run("def fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)\nfact(20)");
            (a, b)
        })
        .and_then(|h| h.join().map_err(|_| std::io::Error::other("panicked")))
        .unwrap_or_default();
    assert_eq!(out.0, "RecursionError: maximum recursion depth exceeded\n");
    assert_eq!(out.1, "Out: 2432902008176640000\n");
}

#[test]
fn cell_semantics() {
    // A trailing `;` (comments ignored) hides the value; None is never shown.
    assert_eq!(run("1 + 1;"), "");
    assert_eq!(run("1 + 1;  # quiet"), "");
    assert_eq!(run("None"), "");
    assert_eq!(run("x = 5"), "");
    assert_eq!(run("print('a')\n7"), "a\nOut: 7\n");
    // Output and bindings made before an error stay.
    let out = run_cells(&["print('before')\nx = 1\n1 / 0\nx = 2", "x"]);
    assert_eq!(out[0], "before\nZeroDivisionError: division by zero\n");
    assert_eq!(out[1], "Out: 1\n");
    // IPython binds `_` to the last shown value.
    assert_eq!(run_cells(&["21 * 2", "_ + 1"])[1], "Out: 43\n");
}

#[test]
fn error_spans_point_at_the_failing_expression() {
    let mut interp = Interp::new();
    let src = "x = 1\ny = x + undefined";
    let e = interp
        .run_cell(src)
        .error
        .unwrap_or_else(|| panic!("no error"));
    let span = e.span.unwrap_or_default();
    assert_eq!(&src[span.start..span.end], "undefined");
    let src = "z = [1, 2][5]";
    let e = interp
        .run_cell(src)
        .error
        .unwrap_or_else(|| panic!("no error"));
    let span = e.span.unwrap_or_default();
    assert_eq!(&src[span.start..span.end], "[1, 2][5]");
    assert_eq!(e.to_string(), "IndexError: list index out of range");
    // A function from an earlier cell: the caret goes to the call in this cell.
    interp.run_cell("def bad():\n    return 1 / 0");
    let src = "v = bad()";
    let e = interp
        .run_cell(src)
        .error
        .unwrap_or_else(|| panic!("no error"));
    let span = e.span.unwrap_or_default();
    assert_eq!(&src[span.start..span.end], "bad()");
}

#[test]
fn syntax_errors_are_cell_errors() {
    assert_eq!(run("x = (1,"), "SyntaxError: '(' was never closed\n");
    assert_eq!(run("if True\n    pass"), "SyntaxError: expected ':'\n");
    assert_eq!(run("  x = 1"), "IndentationError: unexpected indent\n");
}

#[test]
fn control_flow() {
    let src = "out = []\nfor i in range(10):\n    if i % 2:\n        continue\n    if i > 6:\n        break\n    out.append(i)\nelse:\n    out.append('never')\nout";
    assert_eq!(run(src), "Out: [0, 2, 4, 6]\n");
    let src = "for i in range(2):\n    pass\nelse:\n    print('done', i)";
    assert_eq!(run(src), "done 1\n");
    let src = "n = 0\nwhile True:\n    n += 1\n    if n == 3:\n        break\nn";
    assert_eq!(run(src), "Out: 3\n");
    let src =
        "x = 5\n'big' if x > 3 else 'small', [y for y in range(3) if y], {k: k * 2 for k in 'ab'}";
    assert_eq!(run(src), "Out: ('big', [1, 2], {'a': 'aa', 'b': 'bb'})\n");
    assert_eq!(
        run("[(i, j) for i in range(3) for j in range(i)]"),
        "Out: [(1, 0), (2, 0), (2, 1)]\n"
    );
    assert_eq!(run("sum(x * x for x in range(4))"), "Out: 14\n");
    assert_eq!(
        run("0 or [] or 'x', 1 and 2 and 0, not []"),
        "Out: ('x', 0, True)\n"
    );
    assert_eq!(run("if (n := 10) > 5:\n    print(n)"), "10\n");
}

#[test]
fn exceptions() {
    let src = "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    print('caught', e)\nfinally:\n    print('finally')";
    assert_eq!(run(src), "caught division by zero\nfinally\n");
    let src = "try:\n    [][1]\nexcept (KeyError, IndexError) as e:\n    print(type(e).__name__, repr(e))";
    assert_eq!(
        run(src),
        "IndexError IndexError('list index out of range')\n"
    );
    let src = "try:\n    raise ValueError('bad value')\nexcept Exception as e:\n    print(str(e), e.args)";
    assert_eq!(run(src), "bad value ('bad value',)\n");
    assert_eq!(run("raise RuntimeError('boom')"), "RuntimeError: boom\n");
    assert_eq!(run("raise KeyError"), "KeyError:\n");
    assert_eq!(
        run("assert 1 == 2, 'math is broken'"),
        "AssertionError: math is broken\n"
    );
    assert_eq!(run("assert False"), "AssertionError:\n");
    let src = "try:\n    x = 1\nexcept Exception:\n    pass\nelse:\n    print('else ran')";
    assert_eq!(run(src), "else ran\n");
    let src =
        "def f():\n    try:\n        return 'try'\n    finally:\n        print('cleanup')\nf()";
    assert_eq!(run(src), "cleanup\nOut: 'try'\n");
    let src = "try:\n    try:\n        1/0\n    except ZeroDivisionError:\n        raise\nexcept ArithmeticError as e:\n    print('outer', e)";
    assert_eq!(run(src), "outer division by zero\n");
    assert_eq!(run("{'a': 1}['b']"), "KeyError: 'b'\n");
}

#[test]
fn strings_and_fstrings() {
    assert_eq!(
        run("'it\\'s', \"say \\\"hi\\\"\", 'a\\nb', r'\\d'"),
        "Out: (\"it's\", 'say \"hi\"', 'a\\nb', '\\\\d')\n"
    );
    assert_eq!(
        run("x = 3.14159\nf'{x:.2f}|{x!r}|{7:>4}|{\"s\"!r}|{x=}'"),
        "Out: \"3.14|3.14159|   7|'s'|x=3.14159\"\n"
    );
    assert_eq!(
        run("w, p = 8, 3\nf'[{2.5:{w}.{p}f}]'"),
        "Out: '[   2.500]'\n"
    );
    assert_eq!(
        run("'{} and {}'.format(1, 'b'), '{0}{0}'.format('x'), '{name:>3}'.format(name=7)"),
        "Out: ('1 and b', 'xx', '  7')\n"
    );
    assert_eq!(
        run("'%d items, %.2f, %s' % (3, 2.5, 'ok')"),
        "Out: '3 items, 2.50, ok'\n"
    );
    assert_eq!(
        run("' a b  '.split(), 'a,b,,c'.split(','), '-'.join(['x', 'y']), ' pad '.strip()"),
        "Out: (['a', 'b'], ['a', 'b', '', 'c'], 'x-y', 'pad')\n"
    );
    assert_eq!(
        run(
            "'Hello'.upper(), 'Hello'.lower(), 'hello'.replace('l', 'L'), 'abc'.startswith('ab'), 'abc'.find('c')"
        ),
        "Out: ('HELLO', 'hello', 'heLLo', True, 2)\n"
    );
    assert_eq!(
        run(
            "'ab'.center(6, '*'), 'ab'.ljust(4) + '|', '7'.zfill(3), 'banana'.count('a'), '12'.isdigit()"
        ),
        "Out: ('**ab**', 'ab  |', '007', 3, True)\n"
    );
    assert_eq!(
        run("s = 'hello'\ns[1], s[-1], s[1:3], s[::-1], 'ell' in s"),
        "Out: ('e', 'o', 'el', 'olleh', True)\n"
    );
    assert_eq!(
        run("print('a', 1, None, [1.5], sep='-', end='!\\n')"),
        "a-1-None-[1.5]!\n"
    );
    assert_eq!(
        run("str(1.0), str('x'), repr('x'), len('héllo')"),
        "Out: ('1.0', 'x', \"'x'\", 5)\n"
    );
    assert_eq!(run("'''multi\nline'''"), "Out: 'multi\\nline'\n");
}

#[test]
fn lists_dicts_and_builtins() {
    assert_eq!(
        run(
            "l = [3, 1, 2]\nl.append(5)\nl.sort()\nl.insert(0, 9)\nl.pop(), l.pop(0), l, l.index(2), l.count(1)"
        ),
        "Out: (5, 9, [1, 2, 3], 1, 1)\n"
    );
    assert_eq!(
        run("l = [1, 2, 3, 4]\nl[1:3] = ['a']\ndel l[0]\nl"),
        "Out: ['a', 4]\n"
    );
    assert_eq!(run("l = [1]\nl += [2]\nl *= 2\nl"), "Out: [1, 2, 1, 2]\n");
    assert_eq!(
        run(
            "d = {'a': 1}\nd['b'] = 2\nd.update(c=3)\nd.get('z', 0), d.pop('a'), d, list(d.items()), d.keys()"
        ),
        "Out: (0, 1, {'b': 2, 'c': 3}, [('b', 2), ('c', 3)], dict_keys(['b', 'c']))\n"
    );
    assert_eq!(
        run("d = dict(a=1)\nd.setdefault('a', 5), d.setdefault('z', 0), len(d), 'a' in d"),
        "Out: (1, 0, 2, True)\n"
    );
    assert_eq!(
        run(
            "sorted([3, 1, 2], reverse=True), sorted(['bb', 'a', 'ccc'], key=len), list(reversed([1, 2]))"
        ),
        "Out: ([3, 2, 1], ['a', 'bb', 'ccc'], [2, 1])\n"
    );
    assert_eq!(
        run("max([1, 5, 2]), min(4, 2, 8), max(['a', 'bbb'], key=len), max([], default=None)"),
        "Out: (5, 2, 'bbb', None)\n"
    );
    assert_eq!(
        run("max([])"),
        "ValueError: max() iterable argument is empty\n"
    );
    assert_eq!(
        run("any([0, 1]), all([1, 0]), list(map(str, [1, 2])), list(filter(None, [0, 1, 2]))"),
        "Out: (True, False, ['1', '2'], [1, 2])\n"
    );
    assert_eq!(
        run("list(enumerate('ab', start=1)), dict(zip('ab', [1, 2])), sum([0.5, 1.5], 10)"),
        "Out: ([(1, 'a'), (2, 'b')], {'a': 1, 'b': 2}, 12.0)\n"
    );
    assert_eq!(
        run(
            "isinstance(True, int), isinstance(1.0, (int, float)), isinstance('x', list), callable(len)"
        ),
        "Out: (True, True, False, True)\n"
    );
    assert_eq!(
        run("it = iter([1, 2])\nnext(it), next(it), next(it, 'end')"),
        "Out: (1, 2, 'end')\n"
    );
    assert_eq!(
        run("chr(65), ord('a'), hex(255), bin(5), format(3.14159, '.3f'), hasattr([], 'append')"),
        "Out: ('A', 97, '0xff', '0b101', '3.142', True)\n"
    );
    assert_eq!(
        run("getattr(1, 'real'), getattr(1, 'nope', 'dflt'), {1, 2} | {3}, set(), {3, 1, 2}"),
        "Out: (1, 'dflt', {1, 2, 3}, set(), {1, 2, 3})\n"
    );
    assert_eq!(
        run("x = [1, 2, 3]\nx[-1], x[::2], x[5:], (1,), ()"),
        "Out: (3, [1, 3], [], (1,), ())\n"
    );
    assert_eq!(run("l = []\nl.append(l)\nl"), "Out: [[...]]\n");
    assert_eq!(
        run("{(1, 2): 'tuple key'}[(1, 2)], {[1]: 2}"),
        "TypeError: unhashable type: 'list'\n"
    );
    assert_eq!(run("[1, 2][2]"), "IndexError: list index out of range\n");
    assert_eq!(
        run("(1, 2)[0] = 5"),
        "TypeError: 'tuple' object does not support item assignment\n"
    );
    assert_eq!(
        run("[1, 2]['a']"),
        "TypeError: list indices must be integers or slices, not str\n"
    );
}

#[test]
fn stdlib_modules() {
    assert_eq!(
        run(
            "import math\nmath.sqrt(16), math.pi, math.floor(-1.5), math.isclose(0.1 + 0.2, 0.3), math.factorial(5), math.comb(5, 2)"
        ),
        "Out: (4.0, 3.141592653589793, -2, True, 120, 10)\n"
    );
    assert_eq!(
        run("from math import log, exp as e\nlog(1), e(0), log(8, 2)"),
        "Out: (0.0, 1.0, 3.0)\n"
    );
    assert_eq!(
        run("import math\nmath.sqrt(-1)"),
        "ValueError: math domain error\n"
    );
    assert_eq!(
        run(
            "from functools import partial, reduce\nadd = lambda a, b: a + b\npartial(add, 10)(5), reduce(add, [1, 2, 3]), reduce(add, [], 7)"
        ),
        "Out: (15, 6, 7)\n"
    );
    assert_eq!(
        run(
            "import itertools\nlist(itertools.product([0, 1], 'ab')), list(itertools.chain([1], (2, 3)))"
        ),
        "Out: ([(0, 'a'), (0, 'b'), (1, 'a'), (1, 'b')], [1, 2, 3])\n"
    );
    assert_eq!(
        run(
            "import time\nt0 = time.perf_counter()\ntime.perf_counter() >= t0, type(time.time()).__name__"
        ),
        "Out: (True, 'float')\n"
    );
    assert_eq!(run("import math as m\nm"), "Out: <module 'math'>\n");
}

#[test]
fn globals_for_the_repl() {
    let mut interp = Interp::new();
    interp.run_cell("zeta = 1\nalpha = 'a'");
    let names = interp.global_names();
    let pos = |n: &str| names.iter().position(|x| x == n);
    assert!(pos("alpha") < pos("zeta"));
    assert!(matches!(interp.get_global("zeta"), Some(Value::Int(1))));
}

#[test]
fn hostile_inputs_raise_instead_of_panicking() {
    assert_eq!(
        run("m = -2**62 * 2\n[1, 2][m]"),
        "IndexError: list index out of range\n"
    );
    assert_eq!(
        run("m = -2**62 * 2\nm % -1, m // 1"),
        "Out: (0, -9223372036854775808)\n"
    );
    assert_eq!(
        run("2 ** 64"),
        "OverflowError: Python int too large to convert to C long\n"
    );
    assert_eq!(run("[1] * 10**18"), "MemoryError:\n");
    assert_eq!(run("list(range(10**18))"), "MemoryError:\n");
    assert_eq!(
        run("m = -2**62 * 2\nround(1.5, m), round(7, m)"),
        "Out: (0.0, 0)\n"
    );
    assert_eq!(
        run("import math\nmath.comb(10**18, 10)"),
        "OverflowError: int too large\n"
    );
    assert_eq!(
        run("top = 2**62 - 1 + 2**62\nfor i in range(top - 1, top, 5):\n    print(i)"),
        "9223372036854775806\n"
    );
    assert_eq!(
        run(&format!("x = {}1{}", "(".repeat(300), ")".repeat(300))),
        "SyntaxError: too many nested parentheses\n"
    );
    assert_eq!(run("m = -2**62 * 2\n'abc'[1:m]"), "Out: ''\n");
}
