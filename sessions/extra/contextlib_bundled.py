# The bundled contextlib (written in the language, compiled into the binary): contextmanager
# over generators, with exceptions thrown into the generator, nullcontext and suppress.
# %%
from contextlib import contextmanager, nullcontext, suppress
@contextmanager
def tag(name):
    print("<" + name + ">")
    try:
        yield name.upper()
    finally:
        print("</" + name + ">")
with tag("b") as t:
    print("inside", t)
# %%
with tag("i"):
    raise ValueError("boom")
# %%
@contextmanager
def swallow():
    try:
        yield
    except KeyError as e:
        print("swallowed", repr(e))
with swallow():
    {}["k"]
print("after")
# %%
with suppress(ZeroDivisionError, KeyError):
    1 / 0
with nullcontext(5) as n:
    print(n)
# %%
import contextlib
@contextlib.contextmanager
def empty():
    if False:
        yield
with empty():
    pass
