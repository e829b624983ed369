//! `%time` and `%timeit` with IPython's output lines (`core/magics/execution.py`): the time
//! format, the adaptive loop count and the `mean ± std. dev.` summary.

use super::{Notebook, Piece};
use std::time::Instant;

/// IPython's `_format_time`: three significant digits in s/ms/μs/ns, or `1min 5s` style
/// from a minute up.
pub fn format_time(seconds: f64, precision: usize) -> String {
    if seconds >= 60.0 {
        let mut parts = Vec::new();
        let mut left = seconds;
        for (suffix, length) in [("d", 86400.0), ("h", 3600.0), ("min", 60.0), ("s", 1.0)] {
            let value = (left / length).floor();
            if value > 0.0 {
                left %= length;
                parts.push(format!("{value}{suffix}"));
            }
            if left < 1.0 {
                break;
            }
        }
        return parts.join(" ");
    }
    let units = ["s", "ms", "μs", "ns"];
    let order = if seconds > 0.0 {
        // Python's `-int(floor(log10(t)) // 3)`, floor division.
        (-(seconds.log10().floor() as i64).div_euclid(3)).clamp(0, 3) as usize
    } else {
        3
    };
    let scaled = seconds * 1000f64.powi(order as i32);
    format!("{} {}", format_g(scaled, precision), units[order])
}

/// C's `%.*g`: `precision` significant digits, trailing zeros dropped.
fn format_g(x: f64, precision: usize) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let p = precision.max(1);
    let exp = x.abs().log10().floor() as i32;
    if exp < -4 || exp >= p as i32 {
        let s = format!("{:.*e}", p - 1, x);
        let (mant, e) = s.split_once('e').unwrap_or((&s, "0"));
        let mant = trim_zeros(mant);
        let e: i32 = e.parse().unwrap_or(0);
        format!("{mant}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        trim_zeros(&format!("{x:.decimals$}"))
    }
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// User and system CPU seconds of this process (Linux `/proc/self/stat`, in clock ticks of
/// 1/100 s); None where that is not available.
fn cpu_times() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    Some((ticks(11)? / 100.0, ticks(12)? / 100.0))
}

/// The `%timeit` options IPython takes: `-n N`, `-r R`, `-p P`, `-q`.
#[derive(Debug, PartialEq)]
pub struct TimeitOptions {
    pub number: usize,
    pub repeat: usize,
    pub precision: usize,
    pub quiet: bool,
}

/// Splits `-n 10 -r 3 stmt` into options and the statement; Err is the usage message.
pub fn parse_timeit(args: &str) -> Result<(TimeitOptions, String), String> {
    let mut opts = TimeitOptions {
        number: 0,
        repeat: 7,
        precision: 3,
        quiet: false,
    };
    let mut rest = args.trim_start();
    while let Some(flag) = rest.strip_prefix('-') {
        let mut chars = flag.chars();
        let Some(letter) = chars.next() else { break };
        let after = chars.as_str();
        if letter == 'q' || letter == 'o' {
            opts.quiet |= letter == 'q';
            rest = after.trim_start();
            continue;
        }
        if !matches!(letter, 'n' | 'r' | 'p') {
            break;
        }
        let after = after.trim_start();
        let end = after
            .find(|c: char| c.is_whitespace())
            .unwrap_or(after.len());
        let value: usize = after[..end]
            .parse()
            .map_err(|_| format!("option -{letter} requires an integer argument"))?;
        match letter {
            'n' => opts.number = value,
            'r' => opts.repeat = value.max(1),
            _ => opts.precision = value,
        }
        rest = after[end..].trim_start();
    }
    Ok((opts, rest.to_string()))
}

/// IPython's TimeitResult line.
pub fn timeit_line(runs: &[f64], loops: usize, precision: usize) -> String {
    let per_loop: Vec<f64> = runs.iter().map(|t| t / loops as f64).collect();
    let n = per_loop.len().max(1) as f64;
    let mean = per_loop.iter().sum::<f64>() / n;
    let std = (per_loop.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
    format!(
        "{} ± {} per loop (mean ± std. dev. of {} run{}, {} loop{} each)",
        format_time(mean, precision),
        format_time(std, precision),
        runs.len(),
        if runs.len() == 1 { "" } else { "s" },
        thousands(loops),
        if loops == 1 { "" } else { "s" }
    )
}

/// `1,000,000` as Python's `{:,}` writes it.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Notebook {
    /// `%time STMT`: runs it once (its value is displayed), then the CPU and wall times.
    pub(super) fn time(&mut self, stmt: &str) -> Piece {
        let cpu_start = cpu_times();
        let wall = Instant::now();
        let mut piece = self.run_code(stmt);
        let wall = wall.elapsed().as_secs_f64();
        if piece.error.is_some() {
            return piece;
        }
        let (user, sys) = match (cpu_start, cpu_times()) {
            (Some((u0, s0)), Some((u1, s1))) => (u1 - u0, s1 - s0),
            _ => (wall, 0.0),
        };
        piece.stdout.push_str(&format!(
            "CPU times: user {}, sys: {}, total: {}\nWall time: {}\n",
            format_time(user, 3),
            format_time(sys, 3),
            format_time(user + sys, 3),
            format_time(wall, 3)
        ));
        piece
    }

    /// `%timeit [-n N] [-r R] [-p P] [-q] STMT`: without `-n`, loops go 1, 10, 100, ... until
    /// one batch takes 0.2 s; then R batches are timed.
    pub(super) fn timeit(&mut self, args: &str) -> Piece {
        let (opts, stmt) = match parse_timeit(args) {
            Ok(parsed) => parsed,
            Err(msg) => return Piece::printed(format!("UsageError: {msg}\n")),
        };
        let before = self.interp.get_global("_");
        let result = self.timeit_runs(&opts, &stmt);
        self.restore_underscore(before);
        let (runs, loops, printed) = match result {
            Ok(r) => r,
            Err(piece) => return *piece,
        };
        let mut text = printed;
        let best = runs.iter().copied().fold(f64::INFINITY, f64::min) / loops as f64;
        let worst = runs.iter().copied().fold(0.0, f64::max) / loops as f64;
        if worst > 4.0 * best && best > 0.0 && worst > 1e-6 {
            text.push_str(&format!(
                "The slowest run took {:.2} times longer than the fastest. This could mean that an intermediate result is being cached.\n",
                worst / best
            ));
        }
        if !opts.quiet {
            text.push_str(&timeit_line(&runs, loops, opts.precision));
            text.push('\n');
        }
        Piece::printed(text)
    }

    /// Times batches of `stmt`; the batch times, the loop count and what the runs printed.
    #[allow(clippy::type_complexity)]
    fn timeit_runs(
        &mut self,
        opts: &TimeitOptions,
        stmt: &str,
    ) -> Result<(Vec<f64>, usize, String), Box<Piece>> {
        let mut printed = String::new();
        let mut batch = |nb: &mut Notebook, loops: usize| -> Result<f64, Box<Piece>> {
            let start = Instant::now();
            for _ in 0..loops {
                let out = nb.interp.run_cell(stmt);
                printed.push_str(&out.stdout);
                if let Some(e) = out.error {
                    return Err(Box::new(Piece::error(std::mem::take(&mut printed), e)));
                }
            }
            Ok(start.elapsed().as_secs_f64())
        };
        let mut loops = opts.number;
        if loops == 0 {
            for index in 0..10 {
                loops = 10usize.pow(index);
                if batch(self, loops)? >= 0.2 {
                    break;
                }
            }
        }
        let mut runs = Vec::with_capacity(opts.repeat);
        for _ in 0..opts.repeat {
            runs.push(batch(self, loops)?);
        }
        Ok((runs, loops, printed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_ipython() {
        assert_eq!(format_time(1.5e-3, 3), "1.5 ms");
        assert_eq!(format_time(0.000123456, 3), "123 μs");
        assert_eq!(format_time(2.0, 3), "2 s");
        assert_eq!(format_time(12.3456, 3), "12.3 s");
        assert_eq!(format_time(0.0, 3), "0 ns");
        assert_eq!(format_time(4.2e-9, 3), "4.2 ns");
        assert_eq!(format_time(65.5, 3), "1min 5s");
        assert_eq!(format_time(3725.0, 3), "1h 2min 5s");
    }

    #[test]
    fn timeit_summary_line() {
        let runs = [0.2, 0.2, 0.2];
        assert_eq!(
            timeit_line(&runs, 1000, 3),
            "200 μs ± 0 ns per loop (mean ± std. dev. of 3 runs, 1,000 loops each)"
        );
        assert_eq!(
            timeit_line(&[1.0], 1, 3),
            "1 s ± 0 ns per loop (mean ± std. dev. of 1 run, 1 loop each)"
        );
    }

    #[test]
    fn timeit_options() {
        let (o, s) = parse_timeit("-n 5 -r2 -q x @ y").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            o,
            TimeitOptions {
                number: 5,
                repeat: 2,
                precision: 3,
                quiet: true
            }
        );
        assert_eq!(s, "x @ y");
        assert!(parse_timeit("-n x y").is_err());
        assert_eq!(
            parse_timeit("-x").map(|(_, s)| s),
            Ok("-x".to_string()),
            "a negative number is a statement"
        );
    }
}
