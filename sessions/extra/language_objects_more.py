# Edge cases of the object model: hashing and equality in containers, introspection, generator
# cleanup, recursive generators, __init_subclass__, bound-method identity, exception messages.
# %%
class P:
    def __init__(self, x):
        self.x = x
    def __eq__(self, o):
        return isinstance(o, P) and o.x == self.x
    def __hash__(self):
        return hash(self.x)
    def __repr__(self):
        return f"P({self.x})"
d = {P(1): "a"}
d[P(1)], P(1) in [P(2), P(1)], [P(1)] == [P(1)], f"{P(3)}", str(P(4)), "%s" % P(5)
# %%
class Q:
    pass
q = Q()
q.a = 1
dir(q)[-1], vars(q), Q.__dict__["__module__"], type(q) == Q, Q.__bases__, Q.__mro__
# %%
try:
    raise KeyboardInterrupt
except Exception:
    print("caught by Exception")
except BaseException as e:
    print("base", repr(e))
# %%
def g():
    try:
        yield 1
    finally:
        print("cleanup g")
for x in g():
    print(x)
# %%
class Node:
    def __init__(self, v, kids=()):
        self.v, self.kids = v, list(kids)
    def __iter__(self):
        yield self.v
        for k in self.kids:
            yield from k
list(Node(1, [Node(2, [Node(3)]), Node(4)]))
# %%
class Desc:
    x = property(lambda self: 42)
Desc().x, Desc.x.fget(None)
# %%
class Base:
    def __init_subclass__(cls, **kw):
        cls.tag = cls.__name__.lower()
class Child(Base):
    pass
Child.tag
# %%
class A:
    def f(self):
        return "A"
a = A()
m = a.f
m(), m.__self__ is a, m.__func__ is A.f, A.f(a), callable(m)
# %%
object() == object(), isinstance(object(), object), type(object()).__name__
# %%
try:
    raise ValueError("a", "b")
except ValueError as e:
    print(str(e), repr(e), e.args)
# %%
class W(Exception):
    def __str__(self):
        return "custom message"
raise W()
class P: pass
"a" + P()
# %%
import torch
torch.ones(1) + P()
# %%
3 * P()
# %%
[1] + P()
