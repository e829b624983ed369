//! Expected strings are what CPython 3.12 prints for the same calls.

// 3.14159 is the classic format() example value, not a stand-in for PI.
#![allow(clippy::approx_constant)]

use super::*;

fn f(v: f64, spec: &str) -> String {
    format_spec(FormatArg::Float(v), spec).expect("valid spec")
}
fn i(v: i64, spec: &str) -> String {
    format_spec(FormatArg::Int(v), spec).expect("valid spec")
}
fn s(v: &str, spec: &str) -> String {
    format_spec(FormatArg::Str(v), spec).expect("valid spec")
}
fn err(value: FormatArg<'_>, spec: &str) -> String {
    match format_spec(value, spec) {
        Ok(out) => panic!("expected an error for {spec:?}, got {out:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn repr_of_floats() {
    let cases: [(f64, &str); 24] = [
        (1.0, "1.0"),
        (16.0, "16.0"),
        (2.5, "2.5"),
        (0.1, "0.1"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e-5, "1e-05"),
        (0.0001, "0.0001"),
        (0.00012, "0.00012"),
        (1e16, "1e+16"),
        (1e15, "1000000000000000.0"),
        (9999999999999998.0, "9999999999999998.0"),
        (123456789012345680.0, "1.2345678901234568e+17"),
        (1.5e300, "1.5e+300"),
        (5e-324, "5e-324"),
        (f64::MAX, "1.7976931348623157e+308"),
        (0.1f32 as f64, "0.10000000149011612"),
        (-0.0, "-0.0"),
        (0.0, "0.0"),
        (-2.75, "-2.75"),
        (100.0, "100.0"),
        (1e22, "1e+22"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
        (f64::NAN, "nan"),
    ];
    for (v, want) in cases {
        assert_eq!(float_repr(v), want, "repr({v:e})");
        assert_eq!(f(v, ""), want, "format({v:e}, '')");
    }
}

#[test]
fn repr_breaks_exact_ties_to_even_like_dtoa() {
    // Both 16-digit candidates read back; the exact value is halfway, dtoa picks the even one.
    assert_eq!(float_repr(8.174942016601562), "8.174942016601562");
    assert_eq!(float_repr(2031274878207759.2), "2031274878207759.2");
    assert_eq!(float_repr(-226155290898897.62), "-226155290898897.62");
    assert_eq!(f(-936674451877891.2, "#"), "-936674451877891.2");
}

#[test]
fn fixed_and_exponent() {
    assert_eq!(f(3.14159, ".2f"), "3.14");
    assert_eq!(f(3.14159, "f"), "3.141590");
    assert_eq!(f(1234.5678, ",.2f"), "1,234.57");
    assert_eq!(f(0.5, ".0f"), "0");
    assert_eq!(f(1.5, ".0f"), "2");
    assert_eq!(f(2.5, ".0f"), "2");
    assert_eq!(f(0.125, ".2f"), "0.12");
    assert_eq!(f(0.1, ".20f"), "0.10000000000000000555");
    assert_eq!(f(1e20, ".2f"), "100000000000000000000.00");
    assert_eq!(f(-0.001, ".2f"), "-0.00");
    assert_eq!(f(1.0, "#.0f"), "1.");
    assert_eq!(f(3.14159, "e"), "3.141590e+00");
    assert_eq!(f(3.14159, "E"), "3.141590E+00");
    assert_eq!(f(3.14159, "10.3e"), " 3.142e+00");
    assert_eq!(f(1.0, ".0e"), "1e+00");
    assert_eq!(f(1.0, "#.0e"), "1.e+00");
    assert_eq!(f(12345.0, ".2e"), "1.23e+04");
    assert_eq!(f(1e-300, ".1e"), "1.0e-300");
    assert_eq!(f(0.0, "e"), "0.000000e+00");
    assert_eq!(f(f64::INFINITY, "f"), "inf");
    assert_eq!(f(f64::INFINITY, "F"), "INF");
    assert_eq!(f(f64::NAN, "F"), "NAN");
    assert_eq!(f(f64::NEG_INFINITY, "E"), "-INF");
    assert_eq!(f(f64::NAN, ".2f"), "nan");
}

#[test]
fn general_and_no_type() {
    assert_eq!(f(1e-5, "g"), "1e-05");
    assert_eq!(f(100.0, "g"), "100");
    assert_eq!(f(1e6, "g"), "1e+06");
    assert_eq!(f(123456.0, "g"), "123456");
    assert_eq!(f(1234567.0, "g"), "1.23457e+06");
    assert_eq!(f(0.0001, "g"), "0.0001");
    assert_eq!(f(0.00001234, "g"), "1.234e-05");
    assert_eq!(f(1.0, "#g"), "1.00000");
    assert_eq!(f(0.0, "g"), "0");
    assert_eq!(f(-0.0, "g"), "-0");
    assert_eq!(f(2.5, ".0g"), "2");
    assert_eq!(f(1234.5, "G"), "1234.5");
    assert_eq!(f(1e-10, "G"), "1E-10");
    assert_eq!(f(1234.5, "n"), "1234.5");
    // No type with a precision: `g` that keeps one digit after the point, switching to the
    // exponent one digit earlier.
    assert_eq!(f(1.0, ".3"), "1.0");
    assert_eq!(f(123.0, ".3"), "1.23e+02");
    assert_eq!(f(123.0, ".3g"), "123");
    assert_eq!(f(1234.5, ".2"), "1.2e+03");
    assert_eq!(f(0.0, ".1"), "0e+00");
    assert_eq!(f(3.14159, ".3"), "3.14");
    assert_eq!(f(1.0, "#"), "1.0");
    assert_eq!(f(1e20, "#"), "1.e+20");
}

#[test]
fn percent() {
    assert_eq!(f(0.5, "%"), "50.000000%");
    assert_eq!(f(0.25, ".1%"), "25.0%");
    assert_eq!(f(1e-7, "%"), "0.000010%");
    assert_eq!(i(1, "%"), "100.000000%");
    assert_eq!(f(12.345, ",.0%"), "1,234%");
}

#[test]
fn signs_and_negative_zero() {
    assert_eq!(f(1.0, "+"), "+1.0");
    assert_eq!(f(1.0, " "), " 1.0");
    assert_eq!(f(-1.0, " "), "-1.0");
    assert_eq!(f(f64::NAN, "+"), "+nan");
    assert_eq!(f(2.0, "+.2e"), "+2.00e+00");
    assert_eq!(i(5, "+d"), "+5");
    assert_eq!(i(5, " d"), " 5");
    assert_eq!(i(-5, "-d"), "-5");
    assert_eq!(f(-0.0, "z.1f"), "0.0");
    assert_eq!(f(-0.001, "z.2f"), "0.00");
    assert_eq!(f(-0.006, "z.2f"), "-0.01");
    assert_eq!(f(-0.0, "z"), "0.0");
    assert_eq!(f(-0.0, "+z.1f"), "+0.0");
}

#[test]
fn width_alignment_and_fill() {
    assert_eq!(i(12, ">5"), "   12");
    assert_eq!(i(12, "5"), "   12");
    assert_eq!(i(12, "<5"), "12   ");
    assert_eq!(i(12, "^6"), "  12  ");
    assert_eq!(i(12, "*^7"), "**12***");
    assert_eq!(i(-12, "=6"), "-   12");
    assert_eq!(i(-12, "06"), "-00012");
    assert_eq!(i(-5, "05d"), "-0005");
    assert_eq!(i(12, "<05"), "12000");
    assert_eq!(f(1.0, "10"), "       1.0");
    assert_eq!(f(1.5, "08.2f"), "00001.50");
    assert_eq!(f(-1.5, "08.2f"), "-0001.50");
    assert_eq!(f(1.0, "=+10.2f"), "+     1.00");
    assert_eq!(f(f64::INFINITY, "010"), "0000000inf");
    assert_eq!(f(3.14159, "x<8.2f"), "3.14xxxx");
    assert_eq!(s("ab", "*^6"), "**ab**");
    assert_eq!(s("x", ">3"), "  x");
    assert_eq!(s("ab", "05"), "ab000");
    assert_eq!(s("ab", "^06"), "00ab00");
    assert_eq!(s("hello", ".3"), "hel");
    assert_eq!(s("ab", "10.1s"), "a         ");
    assert_eq!(s("ab", "s"), "ab");
    assert_eq!(s("héllo", "^7"), " héllo ");
}

#[test]
fn grouping() {
    assert_eq!(i(1234567, ","), "1,234,567");
    assert_eq!(i(-1234567, ","), "-1,234,567");
    assert_eq!(i(123, ","), "123");
    assert_eq!(i(1234567, "_"), "1_234_567");
    assert_eq!(i(1234, "010,"), "00,001,234");
    assert_eq!(i(1234, "08,"), "0,001,234");
    assert_eq!(i(-1234, "09,d"), "-0,001,234");
    assert_eq!(i(1234, ">10,"), "     1,234");
    assert_eq!(i(0xdeadbeef, "_x"), "dead_beef");
    assert_eq!(i(0xdeadbeef, "#_X"), "0XDEAD_BEEF");
    assert_eq!(i(255, "_b"), "1111_1111");
    assert_eq!(f(1234567.891, "_"), "1_234_567.891");
    assert_eq!(f(1234.5, "010,.1f"), "0,001,234.5");
    assert_eq!(f(1e6, ",g"), "1e+06");
}

#[test]
fn integer_types() {
    assert_eq!(i(255, "x"), "ff");
    assert_eq!(i(255, "#x"), "0xff");
    assert_eq!(i(255, "#X"), "0XFF");
    assert_eq!(i(5, "#b"), "0b101");
    assert_eq!(i(8, "o"), "10");
    assert_eq!(i(8, "#o"), "0o10");
    assert_eq!(i(5, "08b"), "00000101");
    assert_eq!(i(255, "#010x"), "0x000000ff");
    assert_eq!(i(-255, "#x"), "-0xff");
    assert_eq!(i(i64::MIN, "x"), "-8000000000000000");
    assert_eq!(i(i64::MIN, ""), "-9223372036854775808");
    assert_eq!(i(65, "c"), "A");
    assert_eq!(i(65, "^3c"), " A ");
    assert_eq!(i(123456789, "n"), "123456789");
    assert_eq!(i(42, "d"), "42");
    assert_eq!(i(5, ".2f"), "5.00");
    assert_eq!(i(5, "e"), "5.000000e+00");
    assert_eq!(i(7, "g"), "7");
}

#[test]
fn bools_format_as_ints_with_a_spec() {
    let b = |v: bool, spec: &str| format_spec(FormatArg::Bool(v), spec).expect("valid spec");
    assert_eq!(b(true, ""), "True");
    assert_eq!(b(false, ""), "False");
    assert_eq!(b(true, "d"), "1");
    assert_eq!(b(true, ">5"), "    1");
    assert_eq!(b(false, ".1f"), "0.0");
    assert_eq!(
        err(FormatArg::Bool(true), "s"),
        "ValueError: Unknown format code 's' for object of type 'bool'"
    );
}

#[test]
fn errors_match_python() {
    let cases: [(FormatArg<'_>, &str, &str); 24] = [
        (
            FormatArg::Float(3.0),
            "d",
            "ValueError: Unknown format code 'd' for object of type 'float'",
        ),
        (
            FormatArg::Float(3.0),
            "x",
            "ValueError: Unknown format code 'x' for object of type 'float'",
        ),
        (
            FormatArg::Float(3.0),
            "s",
            "ValueError: Unknown format code 's' for object of type 'float'",
        ),
        (
            FormatArg::Str("ab"),
            "d",
            "ValueError: Unknown format code 'd' for object of type 'str'",
        ),
        (
            FormatArg::Str("ab"),
            "f",
            "ValueError: Unknown format code 'f' for object of type 'str'",
        ),
        (
            FormatArg::Int(1),
            "s",
            "ValueError: Unknown format code 's' for object of type 'int'",
        ),
        (
            FormatArg::Int(1),
            "é",
            "ValueError: Unknown format code '\\xe9' for object of type 'int'",
        ),
        (
            FormatArg::Int(1),
            ".2",
            "ValueError: Precision not allowed in integer format specifier",
        ),
        (
            FormatArg::Int(1),
            ".2d",
            "ValueError: Precision not allowed in integer format specifier",
        ),
        (
            FormatArg::Int(1),
            "z",
            "ValueError: Negative zero coercion (z) not allowed in integer format specifier",
        ),
        (
            FormatArg::Int(1),
            ",x",
            "ValueError: Cannot specify ',' with 'x'.",
        ),
        (
            FormatArg::Int(1),
            ",c",
            "ValueError: Cannot specify ',' with 'c'.",
        ),
        (
            FormatArg::Int(1),
            ",_",
            "ValueError: Cannot specify both ',' and '_'.",
        ),
        (
            FormatArg::Int(1),
            "_,",
            "ValueError: Cannot specify both ',' and '_'.",
        ),
        (
            FormatArg::Float(1.0),
            ",n",
            "ValueError: Cannot specify ',' with 'n'.",
        ),
        (
            FormatArg::Str("ab"),
            ",",
            "ValueError: Cannot specify ',' with 's'.",
        ),
        (
            FormatArg::Float(1.0),
            ".f",
            "ValueError: Format specifier missing precision",
        ),
        (
            FormatArg::Float(1.0),
            "abc",
            "ValueError: Invalid format specifier 'abc' for object of type 'float'",
        ),
        (
            FormatArg::Int(1),
            "5.2fx",
            "ValueError: Invalid format specifier '5.2fx' for object of type 'int'",
        ),
        (
            FormatArg::Int(65),
            "+c",
            "ValueError: Sign not allowed with integer format specifier 'c'",
        ),
        (
            FormatArg::Int(65),
            "#c",
            "ValueError: Alternate form (#) not allowed with integer format specifier 'c'",
        ),
        (
            FormatArg::Int(-1),
            "c",
            "OverflowError: %c arg not in range(0x110000)",
        ),
        (
            FormatArg::Str("ab"),
            "+5",
            "ValueError: Sign not allowed in string format specifier",
        ),
        (
            FormatArg::Str("ab"),
            " 5",
            "ValueError: Space not allowed in string format specifier",
        ),
    ];
    for (value, spec, want) in cases {
        assert_eq!(err(value, spec), want, "spec {spec:?}");
    }
    assert_eq!(
        err(FormatArg::Str("ab"), "#5"),
        "ValueError: Alternate form (#) not allowed in string format specifier"
    );
    assert_eq!(
        err(FormatArg::Str("ab"), "=5"),
        "ValueError: '=' alignment not allowed in string format specifier"
    );
    assert_eq!(
        err(FormatArg::Str("ab"), "z5"),
        "ValueError: Negative zero coercion (z) not allowed in string format specifier"
    );
    assert_eq!(
        err(FormatArg::Int(1), "99999999999999999999999"),
        "ValueError: Too many decimal digits in format string"
    );
}
