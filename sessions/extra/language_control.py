# Python control flow in lessons: closures and nonlocal, *args/**kwargs, try/except/finally, assert, recursion depth, loops with break/continue/else, Python's own errors.
# %%
def counter():
    count = 0
    def step():
        nonlocal count
        count += 1
        return count
    return step
c = counter()
c(), c(), c()
# %%
def compose(f, g):
    return lambda x: f(g(x))
inc_then_double = compose(lambda x: 2 * x, lambda x: x + 1)
inc_then_double(3)
# %%
def summary(*args, **kwargs):
    return len(args), args, sorted(kwargs)
summary(1, 2, three=3, four=4)
# %%
def apply(f, *args, scale=1, **kwargs):
    return f(*args, **kwargs) * scale
apply(pow, 2, 5), apply(max, 3, 9, 4, scale=10), apply(sorted, [3, 1, 2], reverse=True)
# %%
args = (1, 2)
kw = {"sep": "-"}
print(*args, **kw)
# %%
try:
    1 / 0
except ZeroDivisionError as e:
    print("caught:", e)
finally:
    print("finally runs")
# %%
try:
    [1, 2][5]
except (KeyError, IndexError) as e:
    print(type(e).__name__, e)
# %%
try:
    raise ValueError("bad value")
except Exception as e:
    msg = str(e)
msg
# %%
def check(x):
    assert x > 0, f"x must be positive, got {x}"
    return x
check(3)
# %%
check(-1)
# %%
assert 1 == 2, "one is not two"
# %%
def depth(n):
    return depth(n + 1)
depth(0)
# %%
i = 0
while True:
    i += 1
    if i % 2 == 0:
        continue
    if i > 6:
        break
    print(i, end=" ")
print()
# %%
for n in range(3):
    pass
else:
    print("loop finished at", n)
# %%
x = 5
y = "big" if x > 3 else "small"
y, 1 < x < 10, x == 5 and x != 4, not x
# %%
undefined_function()
# %%
int("abc")
# %%
{"a": 1}["b"]
# %%
[1, 2, 3].index(7)
# %%
None + 1
# %%
"abc" + 1
# %%
len(5)
