# Generators and lazy iteration: interleaving, infinite generators, send, return values,
# exhausted generators, and the iterator protocol in builtins.
# %%
def gen():
    print("start")
    yield 1
    print("middle")
    yield 2
    print("end")
g = gen()
print("made")
for x in g:
    print("got", x)
# %%
next(g)
# %%
def naturals():
    n = 0
    while True:
        yield n
        n += 1
list(zip(range(3), naturals())), [x for _, x in zip("abc", naturals())]
# %%
it = naturals()
for n in it:
    if n > 3:
        break
next(it), next(it)
# %%
def echo():
    got = yield "ready"
    while True:
        got = yield got * 2
e = echo()
next(e), e.send(5), e.send("ab")
# %%
def inner():
    yield 1
    yield 2
    return "done"
def outer():
    r = yield from inner()
    yield r
list(outer())
# %%
def bad():
    yield 1
    raise StopIteration
list(bad())
# %%
squares = (i * i for i in range(5))
print(next(squares), list(squares), list(squares))
# %%
type(squares).__name__, sum(x for x in range(10) if x % 2), max(i % 7 for i in range(20)), sorted(c for c in "gradbook")
# %%
def countdown(n):
    while n > 0:
        yield n
        n -= 1
a, b, *rest = countdown(5)
a, b, rest, 3 in countdown(4), dict(enumerate(countdown(2))), tuple(map(str, countdown(3)))
# %%
g = countdown(2)
g.send(1)
# %%
def deep(n):
    if n == 0:
        yield "bottom"
    else:
        yield from deep(n - 1)
next(deep(50))
# %%
def forever(n):
    yield from forever(n + 1)
next(forever(0))
# %%
import torch
def batches(t, size):
    for i in range(0, len(t), size):
        yield t[i:i + size]
[b.sum() for b in batches(torch.arange(10.0), 4)]
# %%
def f():
    x = yield
    print("got", x)
g = f()
next(g)
next(g, "default")
