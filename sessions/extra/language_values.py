# More of the Python the lessons are written in: format specs, float reprs, integer division, list/dict/str methods, sorted with key, builtins.
# %%
pi = 3.14159265
f"{pi:.2f}|{pi:8.3f}|{pi:<8.1f}|{pi:e}|{pi:.3e}|{pi:g}|{1234567.0:,.1f}|{0.25:.1%}"
# %%
n = 42
f"{n:5d}|{n:<5}|{n:^7}|{n:05d}|{n:x}|{n:b}|{n:+d}|{-n:d}|{n!r}|{'hi'!r}|{'hi':>4}"
# %%
name = "loss"
val = 0.000123
print(f"{name}={val}", f"{name}={val:.3g}", f"{val=}")
# %%
round(2.5), round(3.5), round(-0.5), round(2.675, 2), round(1234.5678, -2), round(7)
# %%
1e-05, 0.1 + 0.2, 1e16, 123456789.0 * 10, 1 / 3, 2.0 ** 0.5, -0.0, float("inf")
# %%
1e22, 1.5e-7, 100.0, 3.0 * 1.1, 0.1 * 3, 10 / 4, 2 ** -1
# %%
-7 // 2, -7 % 2, 7 // -2, 7 % -2, -7.5 // 2, -7.5 % 2, divmod(-7, 2)
# %%
xs = [3, 1, 2]
xs.append(5)
xs.extend([0, 4])
xs.insert(0, 9)
popped = xs.pop()
xs, popped, xs.index(2), xs.count(1)
# %%
xs.sort()
xs, sorted(xs, reverse=True), xs[::-1], xs[1:-1]
# %%
xs.remove(9)
xs.reverse()
xs
# %%
words = ["banana", "Apple", "cherry", "date"]
sorted(words), sorted(words, key=len), sorted(words, key=lambda w: w.lower()), max(words, key=len)
# %%
d = {"a": 1, "b": 2}
d["c"] = 3
d.get("z"), d.get("z", 0), d.pop("a"), list(d.items()), list(d.values()), "b" in d
# %%
d.update({"d": 4, "b": 20})
d.setdefault("e", 5)
d, len(d), {k: v * 2 for k, v in d.items() if v > 3}
# %%
for k, v in sorted(d.items(), key=lambda kv: -kv[1]):
    print(k, v)
# %%
isinstance(3, int), isinstance(3.0, int), isinstance(True, int), isinstance([], (list, tuple)), isinstance("s", str)
# %%
list(enumerate("abc", start=1)), list(zip([1, 2, 3], "xyz", (True, False, None)))
# %%
list(zip([1, 2, 3], [4, 5])), dict(zip("ab", [1, 2])), list(map(abs, [-1, 2, -3]))
# %%
any([0, 0, 1]), all([1, 2, 0]), sum([0.1] * 10), min(3, 1, 2), abs(-2.5)
# %%
int("12") + 1, float("1.5"), str(3.0), repr("it's"), bool(""), bool([0]), len({"a": 1})
# %%
"a,b,c".split(","), "-".join(["x", "y"]), " pad ".strip(), "Tensor".upper(), "abc".replace("b", "B"), "x={}".format(5)
# %%
"loss".startswith("lo"), "loss".endswith("x"), "abc"[1], "abc"[::-1], "abc".find("c"), "%.2f" % 3.14159
# %%
t = (1, 2, 3)
a, *rest = t
a, rest, t[-1], t.index(2), t.count(4), len(t)
# %%
nums = [n * n for n in range(10) if n % 3 == 0]
squares = {n: n * n for n in range(3)}
gen_total = sum(n for n in range(5))
nums, squares, gen_total
